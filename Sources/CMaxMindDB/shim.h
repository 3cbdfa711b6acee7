// libmaxminddb (Debian's libmaxminddb-dev), for .mmdb country lookups.
#include <maxminddb.h>
