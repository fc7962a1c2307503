import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { ATOM_CONTENT_TYPE } from './atom.rules';
import { CAP_CONTENT_TYPE } from './cap.rules';
import { PublicWarningsService } from './public-warnings.service';

/** Public reads may be cached this long by browsers and proxies: a warning is released minutes ahead of effect. */
const CACHE = 'public, max-age=60';

/**
 * The public's warnings, no login: a plain page of every county's warning in force, one page per county, the Atom
 * index of released revisions and one CAP 1.2 message per revision (docs/public-feed.md).
 */
@ApiExcludeController()
@Controller('public')
@Public()
export class PublicController {
  constructor(private readonly warnings: PublicWarningsService) {}

  @Get()
  async page(@Res() res: Response): Promise<void> {
    const counties = await this.warnings.counties();
    res.set('Cache-Control', CACHE).render('pages/public-warnings', {
      layout: 'public',
      title: '吕梁市重污染天气预警',
      counties,
      anyInForce: counties.some((c) => c.inForce),
    });
  }

  @Get('counties/:code')
  async county(@Param('code') code: string, @Res() res: Response): Promise<void> {
    const county = await this.warnings.county(code);
    res.set('Cache-Control', CACHE).render('pages/public-county', {
      layout: 'public',
      title: `${county.name}重污染天气预警`,
      county,
    });
  }

  @Get('warnings.atom')
  async feed(@Res() res: Response): Promise<void> {
    res
      .set('Cache-Control', CACHE)
      .type(ATOM_CONTENT_TYPE)
      .send(await this.warnings.feed());
  }

  @Get('cap/:id')
  async cap(@Param('id') id: string, @Res() res: Response): Promise<void> {
    // A released revision never changes: its message may be cached for good.
    res
      .set('Cache-Control', 'public, max-age=86400, immutable')
      .type(CAP_CONTENT_TYPE)
      .send(await this.warnings.cap(id));
  }
}
