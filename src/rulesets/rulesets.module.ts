import { Module } from '@nestjs/common';
import { RulesetsController } from './rulesets.controller';
import { RulesetsService } from './rulesets.service';

@Module({ controllers: [RulesetsController], providers: [RulesetsService], exports: [RulesetsService] })
export class RulesetsModule {}
