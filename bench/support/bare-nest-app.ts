/**
 * The ceiling of the HTTP benchmark: a bare Nest app on the service's platform (Fastify, with Fastify's
 * own JSON parser) whose one POST route parses the JSON body and does no work. Listens on PORT.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

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
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('listening\n');
}

void main();
