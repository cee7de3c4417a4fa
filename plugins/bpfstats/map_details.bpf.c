// bpfstats' pass over every BPF map in one read(): a bpf_map iterator writes each
// map's id, name, type, sizes, flags and how many elements it holds, and for perf
// event arrays the perf ring buffers their events write to. bpf_map_info has no
// element count and no buffer, and no syscall gives them: the kernel keeps the count
// per CPU (bpf_map_sum_elem_count, a kfunc since Linux 6.6) and the buffers behind
// each slot's perf event.
//
// Built twice: with MAP_DETAILS_KFUNC (6.6+) and without, for older kernels, where
// hash maps' counts are unknown (-1). The reader loads the first that loads.
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "map_details_record.h"

// More slots than this in one fd array: count unknown (a loop bound for the verifier).
#define MAX_SLOTS (1 << 20)

char LICENSE[] SEC("license") = "GPL";

#ifdef MAP_DETAILS_KFUNC
extern s64 bpf_map_sum_elem_count(const struct bpf_map *map) __ksym;
#endif

// Kernels built with CONFIG_PERF_USE_VMALLOC keep one "page" of 2^page_order pages.
struct perf_buffer___vmalloc {
	int page_order;
} __attribute__((preserve_access_index));

struct slots {
	struct bpf_iter_meta *meta;
	void **ptrs;  // &bpf_array->ptrs[0]
	__u32 id;
	__u32 type;
	__s64 filled;
};

static __always_inline void write_perf_buffer(struct slots *s, struct bpf_event_entry *entry)
{
	struct perf_buffer *rb = BPF_CORE_READ(entry, event, rb);
	struct perf_buffer___vmalloc *paged = (void *)rb;
	struct map_details_record r = {};
	__u64 data;

	if (!rb)  // no process has the event's buffer mmapped
		return;
	data = BPF_CORE_READ(rb, nr_pages);
	if (bpf_core_field_exists(paged->page_order))
		data <<= BPF_CORE_READ(paged, page_order);
	r.kind = MAP_DETAILS_PERF_BUFFER;
	r.id = s->id;
	r.buffer = (__u64)rb;
	r.pages = 1 + data + BPF_CORE_READ(rb, aux_nr_pages);
	bpf_seq_write(s->meta->seq, &r, sizeof(r));
}

static long visit_slot(__u32 index, void *ctx)
{
	struct slots *s = ctx;
	void *entry = 0;

	bpf_probe_read_kernel(&entry, sizeof(entry), &s->ptrs[index]);
	if (!entry)
		return 0;
	s->filled++;
	if (s->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		write_perf_buffer(s, entry);
	return 0;
}

// Elements held, or -1.
static __always_inline __s64 count_entries(struct bpf_map *map, struct bpf_iter_meta *meta)
{
	__u32 type = map->map_type;

	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
#ifdef MAP_DETAILS_KFUNC
		return bpf_map_sum_elem_count(map);
#else
		return -1;
#endif
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS: {
		// An fd array's slots hold a pointer or NULL.
		struct bpf_array *array = (struct bpf_array *)map;
		struct slots s = {.meta = meta, .ptrs = (void **)&array->ptrs[0], .id = map->id, .type = type};
		__u32 n = map->max_entries;

		if (n > MAX_SLOTS)
			return -1;
		bpf_loop(n, visit_slot, &s, 0);
		return s.filled;
	}
	case BPF_MAP_TYPE_LPM_TRIE:
		return BPF_CORE_READ((struct lpm_trie *)map, n_entries);
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK: {
		struct bpf_queue_stack *qs = (struct bpf_queue_stack *)map;
		__u32 head = BPF_CORE_READ(qs, head), tail = BPF_CORE_READ(qs, tail), size = BPF_CORE_READ(qs, size);

		return head >= tail ? head - tail : head + size - tail;
	}
	default:
		return -1;
	}
}

SEC("iter/bpf_map")
int bpfstats_maps(struct bpf_iter__bpf_map *ctx)
{
	struct bpf_map *map = ctx->map;
	struct map_details_record r = {};

	if (!map)
		return 0;
	r.entries = count_entries(map, ctx->meta);  // writes the perf buffers first
	r.kind = MAP_DETAILS_MAP;
	r.id = map->id;
	r.type = map->map_type;
	r.flags = map->map_flags;
	r.key_size = map->key_size;
	r.value_size = map->value_size;
	r.max_entries = map->max_entries;
	bpf_probe_read_kernel_str(r.name, sizeof(r.name), map->name);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
