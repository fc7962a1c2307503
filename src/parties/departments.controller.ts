import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { DepartmentsService } from './departments.service';
import { DepartmentDto, PutDepartmentsDto } from './dto/department.dto';

@ApiTags('reference data')
@Controller('api/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  /** The city departments that receive department notices, in their order (inactive ones last). */
  @Get()
  @SignedIn()
  @ApiOkResponse({ type: [DepartmentDto] })
  list(): Promise<DepartmentDto[]> {
    return this.departments.list();
  }

  /** Saves the whole list (addresses, phones, names, order); departments left out get no new notices. */
  @Put()
  @Roles('ADMIN')
  @ApiOkResponse({ type: [DepartmentDto] })
  replace(@Body() body: PutDepartmentsDto, @RequestActor() actor: Actor): Promise<DepartmentDto[]> {
    return this.departments.replace(body.departments, actor);
  }
}
