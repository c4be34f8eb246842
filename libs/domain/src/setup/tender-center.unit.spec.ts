import { DeciderSpecification } from '../../test/decider-specification';
import {
  type RegisterTenderCenter,
  type TenderCenterRegistered,
  tenderCenterDecider,
  tenderCenterStream,
} from './tender-center';

const spec = DeciderSpecification.for(tenderCenterDecider);

const register: RegisterTenderCenter = {
  type: 'RegisterTenderCenter',
  centerId: 'SZ-GGZY',
  name: '深圳公共资源交易中心',
};
const registered: TenderCenterRegistered = {
  type: 'TenderCenterRegistered',
  data: { centerId: 'SZ-GGZY', name: '深圳公共资源交易中心' },
};

describe('tender center', () => {
  it('lives in the stream tender-center-{centerId}', () => {
    expect(tenderCenterStream('SZ-GGZY')).toBe('tender-center-SZ-GGZY');
  });

  it('registers a new center', () => {
    spec.given([]).when(register).then([registered]);
  });

  it('refuses a second registration with 409 TENDER_CENTER_EXISTS on centerId', () => {
    spec
      .given([registered])
      .when({ ...register, name: 'another name' })
      .thenRejects({ kind: 'CONFLICT', code: 'TENDER_CENTER_EXISTS', field: 'centerId' });
  });

  it('knows the center after registration', () => {
    expect(tenderCenterDecider.initialState).toEqual({ exists: false });
    expect(spec.given([]).when(register).thenState()).toEqual({
      exists: true,
      centerId: 'SZ-GGZY',
      name: '深圳公共资源交易中心',
    });
  });

  it('records plain JSON', () => {
    const [event] = spec.given([]).when(register).thenEvents();
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });
});
