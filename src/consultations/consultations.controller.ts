import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { ConsultationsService, ConsultationView, type RecommendationPreview } from './consultations.service';
import { CreateConsultationDto, HeadsUpDto, RecommendationRequestDto } from './dto/consultation.dto';
import { HeadsUpService, type HeadsUpView } from './heads-up.service';
import { ApiErrors } from '../common/http/api-docs.decorators';

@ApiTags('consultations')
@Controller('api/consultations')
export class ConsultationsController {
  constructor(
    private readonly consultations: ConsultationsService,
    private readonly headsUps: HeadsUpService,
  ) {}

  /** Records the daily consultation; answers the recommended level per county with its reason. */
  @Post()
  @Roles('DUTY_OFFICER')
  @ApiOperation({ summary: '记录一次会商' })
  @ApiCreatedResponse({ description: '已创建' })
  @ApiErrors(400, 401, 403, 409, 422)
  create(@Body() body: CreateConsultationDto, @RequestActor() actor: Actor): Promise<ConsultationView> {
    return this.consultations.create(body, actor);
  }

  /**
   * The recommendation per county for a forecast, by the same checks and rule as recording it, and nothing saved:
   * the consultation form shows it while the grid is typed.
   */
  @Post('recommendation')
  @HttpCode(200)
  @Roles('DUTY_OFFICER', 'COMMANDER')
  @ApiOperation({ summary: '按预报试算建议的预警级别' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(400, 401, 403, 422)
  recommendation(@Body() body: RecommendationRequestDto): Promise<RecommendationPreview> {
    return this.consultations.preview(body);
  }

  @Get()
  @SignedIn()
  @ApiOperation({ summary: '会商记录列表' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 422)
  list(@Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number): Promise<ConsultationView[]> {
    return this.consultations.list(limit);
  }

  @Get(':id')
  @SignedIn()
  @ApiOperation({ summary: '会商详情' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 404)
  get(@Param('id') id: string): Promise<ConsultationView> {
    return this.consultations.get(id);
  }

  /**
   * Sends a heads-up (预警提示) to every enterprise of the counties whose trend beyond the detailed days shows an
   * episode (all such counties when none are named): prepare your measures; no order, no deadline.
   */
  @Post(':id/heads-up')
  @Roles('DUTY_OFFICER')
  @ApiOperation({ summary: '向区县发出预警提示' })
  @ApiCreatedResponse({ description: '已创建' })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  sendHeadsUp(
    @Param('id') id: string,
    @Body() body: HeadsUpDto,
    @RequestActor() actor: Actor,
  ): Promise<HeadsUpView> {
    return this.headsUps.send(id, body, actor);
  }

  @Get(':id/heads-up')
  @SignedIn()
  @ApiOperation({ summary: '本次会商已发的预警提示' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 404)
  listHeadsUps(@Param('id') id: string): Promise<HeadsUpView[]> {
    return this.consultations.get(id).then(() => this.headsUps.list(id));
  }
}
