import { useQuery } from '@tanstack/react-query';
import { requestData, type OkData } from '../../../shared/api/client.ts';

/** The packages on sale; `provider` is `simulated` when the server runs offline with simulated payments. */
export type RechargePackages = OkData<'/api/payment/packages', 'get'>;
export type RechargePackage = RechargePackages['packages'][number];

export function getPackages(): Promise<RechargePackages> {
  return requestData('get', '/api/payment/packages');
}

export function usePackages() {
  return useQuery({ queryKey: ['recharge-packages'], queryFn: getPackages });
}
