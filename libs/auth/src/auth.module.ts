import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  AUTH_OPTIONS,
  resolveAuthOptions,
  resolveJwksUrl,
  resolveServiceTokenOptions,
  SERVICE_TOKEN_OPTIONS,
  type AuthModuleOptions,
  type ResolvedAuthOptions,
  type ServiceTokenOptions,
} from './auth.options';
import { OrgScopeGuard, RolesGuard, ScopesGuard, StepUpGuard } from './authorization.guards';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { JwksKeyResolver, KeyResolver, StaticKeyResolver } from './key-resolver';
import { ServiceTokenProvider } from './service-token.provider';
import { TicketryAuthGuard } from './ticketry-auth.guard';

function keyResolverProvider(options: AuthModuleOptions): Provider {
  const custom = options.keyResolver;
  if (typeof custom === 'function') return { provide: KeyResolver, useClass: custom };
  if (custom !== undefined) return { provide: KeyResolver, useValue: custom };
  const staticKeys = options.staticKeys;
  if (staticKeys !== undefined)
    return { provide: KeyResolver, useFactory: () => new StaticKeyResolver(staticKeys) };
  return {
    provide: KeyResolver,
    useFactory: () => new JwksKeyResolver({ ...options.jwks, jwksUrl: resolveJwksUrl(options) }),
  };
}

function serviceTokenProviders(options: AuthModuleOptions): Provider[] {
  const setting = options.serviceToken;
  if (setting === undefined || setting === false) return [];
  const overrides = setting === true ? {} : setting;
  return [
    {
      provide: SERVICE_TOKEN_OPTIONS,
      useFactory: (): ServiceTokenOptions =>
        resolveServiceTokenOptions(overrides, options.env ?? process.env),
    },
    {
      provide: ServiceTokenProvider,
      useFactory: (tokenOptions: ServiceTokenOptions, auth: ResolvedAuthOptions) =>
        new ServiceTokenProvider(tokenOptions, auth.clock),
      inject: [SERVICE_TOKEN_OPTIONS, AUTH_OPTIONS],
    },
  ];
}

const GUARDS = [JwtAuthGuard, RolesGuard, ScopesGuard, OrgScopeGuard, StepUpGuard, TicketryAuthGuard];

/**
 * Global module: once imported in a service's root module, the guards can be used in any feature
 * module. Configuration is read from the environment when the app is created, not at import.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    const serviceTokens = serviceTokenProviders(options);
    const providers: Provider[] = [
      { provide: AUTH_OPTIONS, useFactory: (): ResolvedAuthOptions => resolveAuthOptions(options) },
      keyResolverProvider(options),
      JwtStrategy,
      ...GUARDS,
      ...serviceTokens,
    ];
    if (options.globalGuards === true) providers.push({ provide: APP_GUARD, useExisting: TicketryAuthGuard });
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      providers,
      exports: [
        AUTH_OPTIONS,
        KeyResolver,
        JwtStrategy,
        ...GUARDS,
        ...(serviceTokens.length > 0 ? [ServiceTokenProvider] : []),
      ],
    };
  }
}
