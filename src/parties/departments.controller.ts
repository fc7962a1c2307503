import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { DepartmentsService } from './departments.service';
import { DepartmentDto, PutDepartmentsDto } from './dto/department.dto';
import { ApiErrors } from '../common/http/api-docs.decorators';

@ApiTags('reference data')
@Controller('api/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  /** The city departments that receive department notices, in their order (inactive ones last). */
  @Get()
  @SignedIn()
  @ApiOkResponse({ type: [DepartmentDto] })
  @ApiOperation({ summary: '联动部门列表' })
  @ApiErrors(401)
  list(): Promise<DepartmentDto[]> {
    return this.departments.list();
  }

  /** Saves the whole list (addresses, phones, names, order); departments left out get no new notices. */
  @Put()
  @Roles('ADMIN')
  @ApiOkResponse({ type: [DepartmentDto] })
  @ApiOperation({ summary: '替换联动部门名单' })
  @ApiErrors(400, 401, 403, 409, 422)
  replace(@Body() body: PutDepartmentsDto, @RequestActor() actor: Actor): Promise<DepartmentDto[]> {
    return this.departments.replace(body.departments, actor);
  }
}
