import type { Migration } from './types';
import { migration0001 } from './0001-app-meta';
import { migration0002 } from './0002-contacts';
import { migration0003 } from './0003-whatsapp';
import { migration0004 } from './0004-webhooks';
import { migration0005 } from './0005-campaigns';
import { migration0006 } from './0006-contact-holds';
import { migration0007 } from './0007-contact-erasures';
import { migration0008 } from './0008-campaign-series';
import { migration0009 } from './0009-send-guarantees';
import { migration0010 } from './0010-audit-trail';
import { migration0011 } from './0011-rate-card-actual-cost';
import { migration0012 } from './0012-click-events';
import { migration0013 } from './0013-marketing-messages';
import { migration0014 } from './0014-contact-user-ids';
import { migration0015 } from './0015-inbound-replies';
import { migration0016 } from './0016-import-rejections';
import { migration0017 } from './0017-contacts-without-phone';
import { migration0018 } from './0018-erasure-lookups';
import { migration0019 } from './0019-consent-evidence-data';
import { migration0020 } from './0020-replies-by-user-id';
import { migration0021 } from './0021-search-cjk-trigrams';

/**
 * The ordered registry. Forward-only: never edit a migration that has shipped (its hash is stored
 * and an edited one is refused); add the next number instead. One test per migration lives in
 * test/unit/migrations/.
 */
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012, migration0013, migration0014, migration0015, migration0016, migration0017, migration0018, migration0019, migration0020, migration0021];

export type { Migration } from './types';
