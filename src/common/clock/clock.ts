import { Injectable } from '@nestjs/common';

/** The one source of "now": rules and services never call new Date() for the current time. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
