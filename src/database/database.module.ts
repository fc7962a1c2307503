import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatabaseBootstrapService } from './database-bootstrap.service';
import { dataSourceOptions } from './data-source';
import { SeedModule } from './seeds/seed.module';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) throw new Error('DATABASE_URL must be resolved before the app starts');
        return dataSourceOptions(config.databaseUrl);
      },
    }),
    SeedModule,
  ],
  providers: [DatabaseBootstrapService],
  exports: [DatabaseBootstrapService],
})
export class DatabaseModule {}
