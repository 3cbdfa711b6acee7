#include <errno.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* glibc has no wrapper for sched_setattr(2), and Swift cannot call the
   variadic syscall(2): this is the one call, for SCHED_OTHER with a
   requested slice (honoured by EEVDF from Linux 6.12; 0 restores the
   default). The struct is the kernel's sched_attr, version 1 (56 bytes). */
struct collector_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
    uint32_t sched_util_min;
    uint32_t sched_util_max;
};

/* The call sets the nice value too: it is given the thread's own, so it
   stays (SCHED_FLAG_KEEP_PARAMS would keep the slice as well). */
static inline int collector_request_slice(pid_t thread, uint64_t nanoseconds) {
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, (id_t)thread);
    if (nice == -1 && errno != 0) return -1;
    struct collector_sched_attr attr = {0};
    attr.size = sizeof attr;
    attr.sched_policy = 0; /* SCHED_OTHER */
    attr.sched_nice = nice;
    attr.sched_runtime = nanoseconds;
    return (int)syscall(SYS_sched_setattr, thread, &attr, 0);
}
