// bpfstats' pass over every BPF program in one read(): a bpf_prog iterator writes
// each program's id, name, type, map ids, size and run counters, the counters summed
// over the possible CPUs as the kernel's bpf_prog_get_stats() does. Per program that
// replaces get-fd-by-id, get-info, an fdinfo read and close, the floor of reading
// programs through the bpf() syscall. Built as a light skeleton (light_skeletons.h),
// so that a one-shot can afford to load it too.
//
// The counters are per-CPU: prog->stats is a __percpu pointer, and CPU c's copy is at
// that pointer plus c's per-CPU offset. Kernels built without BTF type tags do not
// mark it __percpu (so bpf_per_cpu_ptr() refuses it), and kernels without
// CONFIG_KALLSYMS_ALL cannot resolve this_cpu_off or __per_cpu_offset. So the offsets
// are learnt from a per-CPU array of our own, once: CPU c's element is at the array's
// __percpu pointer (bpf_array.pptrs[0]) plus c's offset. Reading kernel addresses as
// numbers needs CAP_PERFMON, as all of bpfstats does. The reader checks the result
// against the bpf() syscall before trusting it (program_counters.cpp).
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "program_counters_record.h"

#define MAX_CPUS 1024

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 nr_cpus = 1;  // possible CPUs 0..nr_cpus-1, set before load

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cpu_probe SEC(".maps");

__u64 cpu_offset[MAX_CPUS];
__u32 offsets_known;
// Set by the reader: 1 writes only id, map count and counters (a repeated pass that
// knows the rest of every program it saw before), 0 the whole program.
__u32 counters_only;

// A pointer's value as a number: through the stack, where the verifier lets a
// privileged program read it back.
static __always_inline __u64 address_of(const void *pointer)
{
	__u64 address = 0;

	bpf_probe_read_kernel(&address, sizeof(address), &pointer);
	return address;
}

static __always_inline int learn_cpu_offsets(void)
{
	struct bpf_array *array = (struct bpf_array *)address_of(&cpu_probe);
	__u64 pptr = 0;
	__u32 zero = 0;

	bpf_core_read(&pptr, sizeof(pptr), &array->pptrs[0]);
	if (!pptr)
		return 0;
	for (__u32 cpu = 0; cpu < MAX_CPUS && cpu < nr_cpus; cpu++) {
		void *element = bpf_map_lookup_percpu_elem(&cpu_probe, &zero, cpu);

		if (!element)
			return 0;
		cpu_offset[cpu] = address_of(element) - pptr;
	}
	offsets_known = 1;
	return 1;
}

SEC("iter/bpf_prog")
int bpfstats_progs(struct bpf_iter__bpf_prog *ctx)
{
	struct bpf_prog *prog = ctx->prog;
	struct program_counters_record r = {};
	__u64 stats = 0;

	const bool adjacent = bpf_core_field_offset(struct bpf_prog_stats, nsecs) ==
			      bpf_core_field_offset(struct bpf_prog_stats, cnt) + sizeof(__u64);
	const bool has_misses = bpf_core_field_exists(struct bpf_prog_stats, misses);

	if (!prog)
		return 0;
	if (!offsets_known && !learn_cpu_offsets())
		return 1;  // read() fails with EAGAIN: the reader gives up and uses the syscall
	r.id = BPF_CORE_READ(prog, aux, id);
	r.map_count = BPF_CORE_READ(prog, aux, used_map_cnt);
	if (!counters_only) {
		struct bpf_prog_aux *aux = BPF_CORE_READ(prog, aux);

		r.type = BPF_CORE_READ(prog, type);
		r.pages = BPF_CORE_READ(prog, pages);
		r.jited_len = BPF_CORE_READ(prog, jited_len);
		if (bpf_core_field_exists(struct bpf_prog_aux, verified_insns))
			r.verified_insns = BPF_CORE_READ(aux, verified_insns);
		bpf_core_read_str(r.name, sizeof(r.name), &aux->name);
		if (r.map_count <= PROGRAM_COUNTERS_MAP_IDS) {
			struct bpf_map **used = BPF_CORE_READ(aux, used_maps);

			for (__u32 i = 0; i < PROGRAM_COUNTERS_MAP_IDS && i < r.map_count; i++) {
				struct bpf_map *map = 0;

				bpf_probe_read_kernel(&map, sizeof(map), &used[i]);
				r.map_ids[i] = map ? BPF_CORE_READ(map, id) : 0;
			}
		}
	}
	bpf_core_read(&stats, sizeof(stats), &prog->stats);
	if (stats) {
		for (__u32 cpu = 0; cpu < MAX_CPUS && cpu < nr_cpus; cpu++) {
			struct bpf_prog_stats *copy = (struct bpf_prog_stats *)(stats + cpu_offset[cpu]);
			__u64 both[2] = {};

			if (adjacent) {  // one read for both, as on every kernel so far
				bpf_core_read(both, sizeof(both), &copy->cnt);
			} else {
				bpf_core_read(&both[0], sizeof(both[0]), &copy->cnt);
				bpf_core_read(&both[1], sizeof(both[1]), &copy->nsecs);
			}
			r.run_cnt += both[0];
			r.run_time_ns += both[1];
			if (has_misses) {
				__u64 misses = 0;

				bpf_core_read(&misses, sizeof(misses), &copy->misses);
				r.recursion_misses += misses;
			}
		}
	}
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
