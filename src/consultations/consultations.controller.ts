import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, DefaultValuePipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { ConsultationsService, ConsultationView } from './consultations.service';
import { CreateConsultationDto } from './dto/consultation.dto';

@ApiTags('consultations')
@Controller('api/consultations')
export class ConsultationsController {
  constructor(private readonly consultations: ConsultationsService) {}

  /** Records the daily consultation; answers the recommended level per county with its reason. */
  @Post()
  @Roles('DUTY_OFFICER')
  create(@Body() body: CreateConsultationDto, @RequestActor() actor: Actor): Promise<ConsultationView> {
    return this.consultations.create(body, actor);
  }

  @Get()
  @SignedIn()
  list(@Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number): Promise<ConsultationView[]> {
    return this.consultations.list(limit);
  }

  @Get(':id')
  @SignedIn()
  get(@Param('id') id: string): Promise<ConsultationView> {
    return this.consultations.get(id);
  }
}
