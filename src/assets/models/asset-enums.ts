import { registerEnumType } from '@nestjs/graphql';
import { AssetLiveness, ExposureStatus, PortProtocol, PortState } from '../../generated/prisma/enums.js';

registerEnumType(AssetLiveness, { name: 'AssetLiveness', description: 'UP when the last scan that listed the host found it up, DOWN when a later one found it down' });
registerEnumType(PortProtocol, { name: 'PortProtocol' });
registerEnumType(PortState, {
  name: 'PortState',
  description: 'As last seen; an OPEN port becomes CLOSED when a later scan by the same scanner probed it on the host and did not list it',
});

registerEnumType(ExposureStatus, { name: 'ExposureStatus' });

export { AssetLiveness, ExposureStatus, PortProtocol, PortState };
