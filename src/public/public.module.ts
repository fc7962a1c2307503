import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { PublicController } from './public.controller';
import { PublicWarningsService } from './public-warnings.service';

/** CAP 1.2 feed and public warning pages: reads only, no login. */
@Module({ imports: [RegionsModule], controllers: [PublicController], providers: [PublicWarningsService] })
export class PublicModule {}
