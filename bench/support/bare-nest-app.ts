/**
 * The ceiling of the HTTP benchmark: a bare Nest app (same platform, Express) whose one POST route
 * parses the JSON body and does no work. Listens on PORT.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Controller()
class BareController {
  @Post('bare')
  @HttpCode(201)
  accept(@Body() body: unknown) {
    return { received: typeof body === 'object' };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(Number(process.env.PORT));
  process.stdout.write('listening\n');
}

void main();
