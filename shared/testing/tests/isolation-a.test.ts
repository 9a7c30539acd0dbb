import { isolationSuite } from './isolation.ts';

isolationSuite('a', 'b');
