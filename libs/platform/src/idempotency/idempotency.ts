import { createHash } from 'node:crypto';
import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, Observable, of } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { Column, CreateDateColumn, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { AppError, ConflictError } from '../errors/problem';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

const OWN_IDEMPOTENCY = 'ticketry:idempotency:own';

/**
 * The route keeps Idempotency-Key itself, with the effect (e.g. orders stores the key on the order
 * and answers a replay with the order as it is now and the status that state has, 201 or 202): the
 * generic interceptor stays out, so a stored first answer cannot contradict the live state.
 */
export const OwnIdempotency = (): MethodDecorator => SetMetadata(OWN_IDEMPOTENCY, true);

@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ type: 'text' })
  status!: 'in_progress' | 'completed';

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: object | string | number | boolean | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** JSON with sorted keys, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Idempotency-Key for POSTs (api.md, Conventions): the key is stored before the handler runs,
 * the first response is stored with it, and a replay with the same key and body gets that
 * response back without running the handler again. The same key with another body is refused
 * (409 idempotency_key_reused); a replay while the first is still running gets 409
 * idempotency_key_in_progress. A failed first attempt releases the key, because its effect was
 * rolled back with it, so the client may retry with the same key.
 *
 * Keys are scoped by caller (token subject, or anonymous) and path, so two clients cannot
 * collide or read each other's responses. Money-moving use cases additionally carry the key into
 * their own transaction (a unique column) so the effect itself cannot happen twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: { sub?: string } }>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header(IDEMPOTENCY_HEADER);
    if (req.method !== 'POST' || key === undefined) return next.handle();
    if (this.reflector.get<boolean | undefined>(OWN_IDEMPOTENCY, context.getHandler()) === true)
      return next.handle();
    if (!VALID_KEY.test(key)) {
      throw new AppError(
        400,
        'invalid_idempotency_key',
        'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      );
    }
    const path = req.path;
    const scope = `${req.user?.sub ?? 'anonymous'} ${path}`;
    const hash = requestHash(req.method, path, req.body);
    // Nest sets the route's status on the response before the handler runs (and a handler may change it).
    const status = () =>
      res.statusCode ||
      (this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
        HttpStatus.CREATED);
    const table = this.dataSource.getMetadata(IdempotencyKeyEntity).tablePath;

    return from(
      this.dataSource.query(
        `INSERT INTO ${table} (scope, key, request_hash, status) VALUES ($1, $2, $3, 'in_progress')
         ON CONFLICT DO NOTHING RETURNING key`,
        [scope, key, hash],
      ) as Promise<unknown[]>,
    ).pipe(
      mergeMap((inserted) => {
        if (inserted.length > 0) {
          return next.handle().pipe(
            mergeMap(async (body: unknown) => {
              const responseStatus = status();
              await this.dataSource.query(
                `UPDATE ${table} SET status = 'completed', response_status = $3, response_body = $4::jsonb
                 WHERE scope = $1 AND key = $2`,
                [scope, key, responseStatus, JSON.stringify(body ?? null)],
              );
              return body;
            }),
            catchError(async (error: unknown) => {
              await this.dataSource.query(
                `DELETE FROM ${table} WHERE scope = $1 AND key = $2 AND status = 'in_progress'`,
                [scope, key],
              );
              throw error;
            }),
          );
        }
        return from(this.dataSource.getRepository(IdempotencyKeyEntity).findOneByOrFail({ scope, key })).pipe(
          mergeMap((existing) => {
            if (existing.requestHash !== hash) {
              throw new ConflictError(
                'idempotency_key_reused',
                'This Idempotency-Key was used with another request.',
              );
            }
            if (existing.status !== 'completed') {
              throw new ConflictError(
                'idempotency_key_in_progress',
                'A request with this Idempotency-Key is still running.',
              );
            }
            res.status(existing.responseStatus ?? status());
            res.setHeader('Idempotent-Replayed', 'true');
            return of(existing.responseBody);
          }),
        );
      }),
    );
  }
}
