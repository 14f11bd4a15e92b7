/**
 * NOWPayments REST client (https://documenter.getpostman.com/view/7907941/2s93JusNJt):
 * `POST /v1/payment` creates a payment, `GET /v1/payment/:id` reads its status. Authenticated with
 * the `x-api-key` header; every call gives up after the configured timeout.
 */
import { formatDecimal, parseDecimal } from '../infra/decimal.js';
import {
  normalisePaymentId,
  parsePaymentReport,
  ProviderUnavailableError,
  type CreatedPayment,
  type CreatePaymentRequest,
  type PaymentProvider,
  type PaymentReport,
} from './provider.js';

export interface NowPaymentsOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
}

export class NowPaymentsProvider implements PaymentProvider {
  readonly name = 'nowpayments' as const;

  constructor(private readonly options: NowPaymentsOptions) {}

  async createPayment(request: CreatePaymentRequest): Promise<CreatedPayment> {
    const answer = await this.call('POST', '/v1/payment', {
      // NOWPayments expects a JSON number; package prices have at most 8 decimals, exact as a double.
      price_amount: Number(request.priceAmount),
      price_currency: request.priceCurrency,
      pay_currency: request.payCurrency,
      order_id: request.orderId,
      order_description: request.description,
      ipn_callback_url: request.ipnCallbackUrl,
    });
    const paymentId = normalisePaymentId(answer.payment_id);
    const payAddress = typeof answer.pay_address === 'string' ? answer.pay_address.trim() : '';
    const payAmount = parseDecimal(answer.pay_amount);
    if (!paymentId || !payAddress || !payAmount || payAmount.units <= 0n) {
      throw new ProviderUnavailableError('NOWPayments answered without payment_id, pay_address or pay_amount');
    }
    return {
      paymentId,
      status: typeof answer.payment_status === 'string' ? answer.payment_status.toLowerCase() : 'waiting',
      payAddress,
      payAmount: formatDecimal(payAmount),
      payCurrency: typeof answer.pay_currency === 'string' ? answer.pay_currency.toLowerCase() : request.payCurrency,
    };
  }

  async getPayment(paymentId: string): Promise<PaymentReport | null> {
    const answer = await this.call('GET', `/v1/payment/${encodeURIComponent(paymentId)}`);
    const report = parsePaymentReport(answer);
    if (!report) throw new ProviderUnavailableError('NOWPayments status answer lacks payment_id or payment_status');
    return report;
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          'x-api-key': this.options.apiKey,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      throw new ProviderUnavailableError(`NOWPayments ${method} ${path} failed: ${(err as Error).message}`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch (err) {
      throw new ProviderUnavailableError(`NOWPayments ${method} ${path} answered ${response.status} with invalid JSON`, {
        cause: err,
      });
    }
    if (!response.ok) {
      const message = (parsed as { message?: unknown } | null)?.message;
      throw new ProviderUnavailableError(
        `NOWPayments ${method} ${path} answered ${response.status}${typeof message === 'string' ? `: ${message}` : ''}`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ProviderUnavailableError(`NOWPayments ${method} ${path} answered a non-object`);
    }
    return parsed as Record<string, unknown>;
  }
}
