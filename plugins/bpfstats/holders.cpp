#include "holders.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "iterator_records.h"
#include <ig/unique_fd.h>

namespace ig::bpfstats {
namespace {

// --- the task_file iterator ------------------------------------------------------
//
// The program, per (task, fd, file) the kernel visits:
//   if the file is an anonymous inode (its superblock's magic is anon_inodefs') whose
//   dentry is named "bpf-prog" (a program fd) or "bpf_link" (a link fd), the names
//   /proc's "anon_inode:..." links show, take the program (the file's private data,
//   or the link's prog) and write {task->tgid, prog->aux->id}.
// It is assembled here rather than compiled, because its field offsets come from
// the running kernel's BTF and libbpf's CO-RE would need the whole object pipeline.

struct Layout {  // byte offsets in the running kernel, from /sys/kernel/btf/vmlinux
  __u32 attach_btf_id = 0;  // FUNC bpf_iter_task_file
  int ctx_meta = 0, ctx_task = 0, ctx_file = 0;  // struct bpf_iter__task_file
  int meta_seq = 0;  // struct bpf_iter_meta
  int task_tgid = 0;
  int file_dentry = 0;  // file->f_path.dentry
  int file_private = 0;
  int file_inode = 0, inode_sb = 0, sb_magic = 0;  // file->f_inode->i_sb->s_magic
  int dentry_name = 0;  // dentry->d_name.name
  int prog_aux = 0, aux_id = 0, link_prog = 0;
};

// The running kernel's BTF (/sys/kernel/btf/vmlinux), mapped (Linux 6.16+) or read,
// and indexed by type id: just enough to find a few structs' member offsets. The
// plugin is loaded per instance, so this runs once per `ig run bpfstats --all`.
// Types have no index in the file: finding type N means walking types 1..N. So the
// walk goes only as far as the lookups need: until every wanted type has been seen
// (here, about half of the ~130k types of Linux 6.18's 5.5 MB), further only when a
// member's type lies beyond. libbpf's btf__load_vmlinux_btf reads, copies and
// indexes all of it in 10-20 ms.
class KernelBtf {
 public:
  struct Wanted {
    std::string_view name;
    __u16 kind;
  };

  // `wanted`: the named types find() will be asked for, noted during the walk.
  explicit KernelBtf(std::initializer_list<Wanted> wanted) : wanted_(wanted), found_(wanted.size(), 0) {
    for (const Wanted& w : wanted_) {
      char head[sizeof(std::uint32_t)] = {};  // a short name compares with its NUL padding
      std::memcpy(head, w.name.data(), std::min(w.name.size(), sizeof(head)));
      heads_.push_back(prefix(head));
    }
    UniqueFd fd(::open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC));
    if (!fd) return;
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || st.st_size <= 0) return;
    size_ = static_cast<std::size_t>(st.st_size);
    void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (mapped != MAP_FAILED) {
      mapped_ = mapped;
      data_ = static_cast<const char*>(mapped);
    } else {
      copy_.resize(size_);
      std::size_t got = 0;
      while (got < size_) {
        ssize_t n = ::read(fd.get(), copy_.data() + got, size_ - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
      }
      size_ = got;
      data_ = copy_.data();
    }
    if (!open_sections()) return;
    walk_while([this] { return missing_ > 0; });
  }
  ~KernelBtf() {
    if (mapped_) ::munmap(mapped_, size_);
  }
  KernelBtf(const KernelBtf&) = delete;
  KernelBtf& operator=(const KernelBtf&) = delete;

  bool ok() const { return types_ != nullptr && !broken_; }

  // The id of the first type `name` of `kind`, or 0.
  __u32 find(std::string_view name, __u16 kind) const {
    for (std::size_t i = 0; i < wanted_.size(); ++i) {
      if (wanted_[i].kind != kind || wanted_[i].name != name) continue;
      if (!found_[i]) walk_while([] { return true; });  // not there yet: look to the end
      return found_[i];
    }
    walk_while([] { return true; });
    for (__u32 id = 1; id < offsets_.size(); ++id)
      if (btf_kind(type(id)) == kind && name_is(type(id)->name_off, name)) return id;
    return 0;
  }

  const btf_type* type(__u32 id) const {
    if (id >= offsets_.size()) walk_while([this, id] { return id >= offsets_.size(); });
    return id > 0 && id < offsets_.size() ? reinterpret_cast<const btf_type*>(types_ + offsets_[id]) : nullptr;
  }

  // Skips typedefs and modifiers; 0 if the chain is broken.
  __u32 resolve(__u32 id) const {
    for (int depth = 0; depth < 32; ++depth) {
      const btf_type* t = type(id);
      if (!t) return 0;
      __u16 kind = btf_kind(t);
      if (kind != BTF_KIND_TYPEDEF && kind != BTF_KIND_CONST && kind != BTF_KIND_VOLATILE &&
          kind != BTF_KIND_RESTRICT && kind != BTF_KIND_TYPE_TAG)
        return id;
      id = t->type;
    }
    return 0;
  }

  // Bytes of a member's type: integers, enums and pointers (-1 for anything else).
  long size_of(__u32 id) const {
    const btf_type* t = type(resolve(id));
    if (!t) return -1;
    switch (btf_kind(t)) {
      case BTF_KIND_PTR: return static_cast<long>(sizeof(void*));
      case BTF_KIND_INT:
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64: return static_cast<long>(t->size);
      default: return -1;
    }
  }

  bool name_is(__u32 name_off, std::string_view name) const {
    if (name_off >= str_len_) return false;
    const char* s = strings_ + name_off;
    return std::strncmp(s, name.data(), name.size()) == 0 && s[name.size()] == '\0';
  }
  bool anonymous(__u32 name_off) const { return name_off == 0 || (name_off < str_len_ && !strings_[name_off]); }

 private:
  // Checks the header and finds the type and string sections.
  bool open_sections() {
    if (size_ < sizeof(btf_header)) return false;
    btf_header hdr;
    std::memcpy(&hdr, data_, sizeof(hdr));
    if (hdr.magic != BTF_MAGIC || hdr.hdr_len < sizeof(hdr) || hdr.hdr_len > size_) return false;
    const std::size_t types_at = std::size_t(hdr.hdr_len) + hdr.type_off;
    const std::size_t strings_at = std::size_t(hdr.hdr_len) + hdr.str_off;
    if (types_at + hdr.type_len > size_ || strings_at + hdr.str_len > size_ || hdr.str_len == 0) return false;
    strings_ = data_ + strings_at;
    str_len_ = hdr.str_len;
    if (strings_[str_len_ - 1] != '\0') return false;
    types_ = data_ + types_at;
    next_ = types_;
    end_ = types_ + hdr.type_len;
    offsets_.reserve(1 << 17);
    offsets_.push_back(0);  // id 0 is void
    return true;
  }

  // Indexes further types while `more()` holds and types are left.
  template <class More>
  void walk_while(More more) const {
    while (!broken_ && next_ && next_ < end_ && more()) {
      const char* at = next_;
      if (static_cast<std::size_t>(end_ - at) < sizeof(btf_type)) {
        broken_ = true;
        return;
      }
      const auto* t = reinterpret_cast<const btf_type*>(at);  // BTF keeps types 4-byte aligned
      std::size_t extra = 0;
      const std::size_t vlen = btf_vlen(t);
      switch (btf_kind(t)) {
        case BTF_KIND_INT: extra = sizeof(__u32); break;
        case BTF_KIND_PTR:
        case BTF_KIND_FWD:
        case BTF_KIND_TYPEDEF:
        case BTF_KIND_VOLATILE:
        case BTF_KIND_CONST:
        case BTF_KIND_RESTRICT:
        case BTF_KIND_FUNC:
        case BTF_KIND_FLOAT:
        case BTF_KIND_TYPE_TAG: break;
        case BTF_KIND_ARRAY: extra = sizeof(struct btf_array); break;
        case BTF_KIND_STRUCT:
        case BTF_KIND_UNION: extra = vlen * sizeof(struct btf_member); break;
        case BTF_KIND_ENUM: extra = vlen * sizeof(struct btf_enum); break;
        case BTF_KIND_FUNC_PROTO: extra = vlen * sizeof(struct btf_param); break;
        case BTF_KIND_VAR: extra = sizeof(struct btf_var); break;
        case BTF_KIND_DATASEC: extra = vlen * sizeof(struct btf_var_secinfo); break;
        case BTF_KIND_DECL_TAG: extra = sizeof(struct btf_decl_tag); break;
        case BTF_KIND_ENUM64: extra = vlen * sizeof(struct btf_enum64); break;
        default:  // a kind newer than this code: give up, /proc will do
          broken_ = true;
          return;
      }
      const std::size_t whole = sizeof(btf_type) + extra;
      if (static_cast<std::size_t>(end_ - at) < whole) {
        broken_ = true;
        return;
      }
      if (t->name_off != 0) note(t, static_cast<__u32>(offsets_.size()));
      offsets_.push_back(static_cast<std::uint32_t>(at - types_));
      next_ = at + whole;
    }
  }

  // Records `t` (type id `id`) if it is a wanted type not seen before. About 25k of
  // the ~130k types are named structs or functions, so names are compared by their
  // first four bytes before any string compare.
  void note(const btf_type* t, __u32 id) const {
    const __u16 kind = btf_kind(t);
    if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_FUNC) return;
    if (t->name_off + sizeof(std::uint32_t) > str_len_) return;
    const std::uint32_t head = prefix(strings_ + t->name_off);
    for (std::size_t i = 0; i < wanted_.size(); ++i)
      if (heads_[i] == head && !found_[i] && wanted_[i].kind == kind && name_is(t->name_off, wanted_[i].name)) {
        found_[i] = id;
        --missing_;
      }
  }

  // The first four bytes of a name (NUL and what follows it included for shorter ones).
  static std::uint32_t prefix(const char* name) {
    std::uint32_t head = 0;
    std::memcpy(&head, name, sizeof(head));
    return head;
  }

  std::vector<Wanted> wanted_;
  mutable std::vector<__u32> found_;
  mutable std::size_t missing_ = found_.size();  // wanted types not seen yet
  std::vector<std::uint32_t> heads_;  // prefix() of each wanted name
  void* mapped_ = nullptr;
  std::vector<char> copy_;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  const char* strings_ = nullptr;
  std::size_t str_len_ = 0;
  const char* types_ = nullptr;  // the type section
  const char* end_ = nullptr;
  // The walk so far; lookups extend it, hence mutable.
  mutable const char* next_ = nullptr;          // the first type not indexed yet
  mutable std::vector<std::uint32_t> offsets_;  // of each type id indexed so far
  mutable bool broken_ = false;                 // a malformed or unknown type was met
};

// The byte offset of member `name` of the struct/union `type_id`, also inside
// anonymous struct/union members; `member_type` gets the member's type id.
std::optional<long> find_member(const KernelBtf& b, __u32 type_id, std::string_view name, __u32* member_type,
                                int depth = 0) {
  const btf_type* t = b.type(type_id);
  if (!t || !btf_is_composite(t) || depth > 8) return std::nullopt;
  const btf_member* m = btf_members(t);
  for (__u16 i = 0; i < btf_vlen(t); ++i, ++m) {
    __u32 bits = btf_member_bit_offset(t, i);
    if (bits % 8 != 0) continue;  // a bitfield is never what we look for
    if (!b.anonymous(m->name_off)) {
      if (b.name_is(m->name_off, name)) {
        *member_type = m->type;
        return static_cast<long>(bits / 8);
      }
      continue;
    }
    if (auto off = find_member(b, b.resolve(m->type), name, member_type, depth + 1))
      return static_cast<long>(bits / 8) + *off;
  }
  return std::nullopt;
}

// Offset of the member path "a.b" in struct `type`, checking the last member's size.
std::optional<int> offset_of(const KernelBtf& b, const char* type, std::initializer_list<std::string_view> path,
                             long size) {
  __u32 current = b.find(type, BTF_KIND_STRUCT), member = 0;
  if (!current) return std::nullopt;
  long total = 0;
  for (std::string_view name : path) {
    auto off = find_member(b, current, name, &member);
    if (!off) return std::nullopt;
    total += *off;
    current = b.resolve(member);
  }
  if (b.size_of(member) != size || total > 0x7fff) return std::nullopt;
  return static_cast<int>(total);
}

std::optional<Layout> read_layout() {
  KernelBtf b({{"bpf_iter_task_file", BTF_KIND_FUNC},
               {"bpf_iter__task_file", BTF_KIND_STRUCT},
               {"bpf_iter_meta", BTF_KIND_STRUCT},
               {"task_struct", BTF_KIND_STRUCT},
               {"file", BTF_KIND_STRUCT},
               {"inode", BTF_KIND_STRUCT},
               {"super_block", BTF_KIND_STRUCT},
               {"dentry", BTF_KIND_STRUCT},
               {"bpf_prog", BTF_KIND_STRUCT},
               {"bpf_prog_aux", BTF_KIND_STRUCT},
               {"bpf_link", BTF_KIND_STRUCT}});
  if (!b.ok()) return std::nullopt;
  Layout l;
  l.attach_btf_id = b.find("bpf_iter_task_file", BTF_KIND_FUNC);
  if (!l.attach_btf_id) return std::nullopt;
  struct Want {
    int* out;
    const char* type;
    std::initializer_list<std::string_view> path;
    long size;
  };
  const Want wants[] = {
      {&l.ctx_meta, "bpf_iter__task_file", {"meta"}, 8},
      {&l.ctx_task, "bpf_iter__task_file", {"task"}, 8},
      {&l.ctx_file, "bpf_iter__task_file", {"file"}, 8},
      {&l.meta_seq, "bpf_iter_meta", {"seq"}, 8},
      {&l.task_tgid, "task_struct", {"tgid"}, 4},
      {&l.file_dentry, "file", {"f_path", "dentry"}, 8},
      {&l.file_private, "file", {"private_data"}, 8},
      {&l.file_inode, "file", {"f_inode"}, 8},
      {&l.inode_sb, "inode", {"i_sb"}, 8},
      {&l.sb_magic, "super_block", {"s_magic"}, 8},
      {&l.dentry_name, "dentry", {"d_name", "name"}, 8},
      {&l.prog_aux, "bpf_prog", {"aux"}, 8},
      {&l.aux_id, "bpf_prog_aux", {"id"}, 4},
      {&l.link_prog, "bpf_link", {"prog"}, 8},
  };
  for (const Want& w : wants) {
    auto off = offset_of(b, w.type, w.path, w.size);
    if (!off) return std::nullopt;
    *w.out = *off;
  }
  return l;
}

// Read once per loaded plugin (an --interval run reads it once).
const std::optional<Layout>& layout() {
  static const std::optional<Layout> l = read_layout();
  return l;
}

// A minimal assembler: instructions plus forward jumps to one exit label.
class Program {
 public:
  void mov_reg(__u8 dst, __u8 src) { add(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0); }
  void mov_imm(__u8 dst, __s32 imm) { add(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm); }
  void add_imm(__u8 dst, __s32 imm) { add(BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, imm); }
  void load(__u8 size, __u8 dst, __u8 src, int off) { add(BPF_LDX | size | BPF_MEM, dst, src, off, 0); }
  void store(__u8 size, __u8 dst, __u8 src, int off) { add(BPF_STX | size | BPF_MEM, dst, src, off, 0); }
  void load_imm64(__u8 dst, std::uint64_t value) {
    add(BPF_LD | BPF_DW | BPF_IMM, dst, 0, 0, static_cast<__s32>(value & 0xffffffffu));
    add(0, 0, 0, 0, static_cast<__s32>(value >> 32));
  }
  void call(__s32 helper) { add(BPF_JMP | BPF_CALL, 0, 0, 0, helper); }
  // Jumps forward to `label`, set later by place().
  void jump_imm(__u8 op, __u8 dst, __s32 imm, int label) {
    fixups_.push_back({insns_.size(), label});
    add(BPF_JMP | op | BPF_K, dst, 0, 0, imm);
  }
  void jump_reg(__u8 op, __u8 dst, __u8 src, int label) {
    fixups_.push_back({insns_.size(), label});
    add(BPF_JMP | op | BPF_X, dst, src, 0, 0);
  }
  void place(int label) { labels_[label] = insns_.size(); }
  void exit() { add(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

  const std::vector<bpf_insn>& finish() {
    for (const auto& [at, label] : fixups_)
      insns_[at].off = static_cast<__s16>(static_cast<long>(labels_.at(label)) - static_cast<long>(at) - 1);
    return insns_;
  }

 private:
  void add(__u8 code, __u8 dst, __u8 src, int off, __s32 imm) {
    bpf_insn insn{};
    insn.code = code;
    insn.dst_reg = dst & 0xf;
    insn.src_reg = src & 0xf;
    insn.off = static_cast<__s16>(off);
    insn.imm = imm;
    insns_.push_back(insn);
  }
  std::vector<bpf_insn> insns_;
  std::vector<std::pair<std::size_t, int>> fixups_;
  std::map<int, std::size_t> labels_;
};

// "bpf-prog" and "bpf_link" as the little-endian u64 the program compares with.
std::uint64_t name_word(const char (&name)[9]) {
  std::uint64_t word = 0;
  std::memcpy(&word, name, 8);
  return word;
}

constexpr __s32 kAnonInodeMagic = 0x09041934;  // ANON_INODE_FS_MAGIC, include/uapi/linux/magic.h

std::vector<bpf_insn> iterator_program(const Layout& l) {
  enum { kOut, kIsProg };
  // Stack: fp-8 {u32 tgid, u32 prog id} (the record), fp-16 a pointer read,
  // fp-32 the 9 bytes of the dentry name.
  Program p;
  p.mov_reg(BPF_REG_6, BPF_REG_1);                              // r6 = ctx
  p.load(BPF_DW, BPF_REG_7, BPF_REG_6, l.ctx_task);              // r7 = ctx->task
  p.jump_imm(BPF_JEQ, BPF_REG_7, 0, kOut);
  p.load(BPF_DW, BPF_REG_8, BPF_REG_6, l.ctx_file);              // r8 = ctx->file
  p.jump_imm(BPF_JEQ, BPF_REG_8, 0, kOut);
  p.load(BPF_DW, BPF_REG_1, BPF_REG_8, l.file_inode);            // r1 = file->f_inode->i_sb->s_magic
  p.load(BPF_DW, BPF_REG_1, BPF_REG_1, l.inode_sb);
  p.load(BPF_DW, BPF_REG_1, BPF_REG_1, l.sb_magic);
  p.jump_imm(BPF_JNE, BPF_REG_1, kAnonInodeMagic, kOut);
  p.load(BPF_DW, BPF_REG_1, BPF_REG_8, l.file_dentry);           // r1 = file->f_path.dentry
  p.load(BPF_DW, BPF_REG_3, BPF_REG_1, l.dentry_name);           // r3 = dentry->d_name.name
  p.mov_reg(BPF_REG_1, BPF_REG_10);
  p.add_imm(BPF_REG_1, -32);
  p.mov_imm(BPF_REG_2, 9);
  p.call(BPF_FUNC_probe_read_kernel);                            // fp-32 = name[0..8]
  p.jump_imm(BPF_JNE, BPF_REG_0, 0, kOut);
  p.load(BPF_B, BPF_REG_1, BPF_REG_10, -24);                     // name[8] must end it
  p.jump_imm(BPF_JNE, BPF_REG_1, 0, kOut);
  p.load(BPF_DW, BPF_REG_1, BPF_REG_10, -32);
  p.load(BPF_DW, BPF_REG_9, BPF_REG_8, l.file_private);          // r9 = file->private_data
  p.load_imm64(BPF_REG_2, name_word("bpf-prog"));
  p.jump_reg(BPF_JEQ, BPF_REG_1, BPF_REG_2, kIsProg);
  p.load_imm64(BPF_REG_2, name_word("bpf_link"));
  p.jump_reg(BPF_JNE, BPF_REG_1, BPF_REG_2, kOut);
  p.mov_reg(BPF_REG_1, BPF_REG_10);                              // a link: r9 = link->prog
  p.add_imm(BPF_REG_1, -16);
  p.mov_imm(BPF_REG_2, 8);
  p.mov_reg(BPF_REG_3, BPF_REG_9);
  p.add_imm(BPF_REG_3, l.link_prog);
  p.call(BPF_FUNC_probe_read_kernel);
  p.jump_imm(BPF_JNE, BPF_REG_0, 0, kOut);
  p.load(BPF_DW, BPF_REG_9, BPF_REG_10, -16);
  p.place(kIsProg);                                              // r9 = the program
  p.mov_reg(BPF_REG_1, BPF_REG_10);
  p.add_imm(BPF_REG_1, -16);
  p.mov_imm(BPF_REG_2, 8);
  p.mov_reg(BPF_REG_3, BPF_REG_9);
  p.add_imm(BPF_REG_3, l.prog_aux);
  p.call(BPF_FUNC_probe_read_kernel);                            // fp-16 = prog->aux
  p.jump_imm(BPF_JNE, BPF_REG_0, 0, kOut);
  p.load(BPF_DW, BPF_REG_3, BPF_REG_10, -16);
  p.add_imm(BPF_REG_3, l.aux_id);
  p.mov_reg(BPF_REG_1, BPF_REG_10);
  p.add_imm(BPF_REG_1, -4);
  p.mov_imm(BPF_REG_2, 4);
  p.call(BPF_FUNC_probe_read_kernel);                            // fp-4 = aux->id
  p.jump_imm(BPF_JNE, BPF_REG_0, 0, kOut);
  p.load(BPF_W, BPF_REG_1, BPF_REG_7, l.task_tgid);              // fp-8 = task->tgid
  p.store(BPF_W, BPF_REG_10, BPF_REG_1, -8);
  p.load(BPF_DW, BPF_REG_1, BPF_REG_6, l.ctx_meta);              // r1 = ctx->meta->seq
  p.load(BPF_DW, BPF_REG_1, BPF_REG_1, l.meta_seq);
  p.mov_reg(BPF_REG_2, BPF_REG_10);
  p.add_imm(BPF_REG_2, -8);
  p.mov_imm(BPF_REG_3, 8);
  p.call(BPF_FUNC_seq_write);
  p.place(kOut);
  p.mov_imm(BPF_REG_0, 0);
  p.exit();
  return p.finish();
}

std::atomic<bool> iterator_unusable{false};  // it failed to load once: /proc from then on

}  // namespace

std::unique_ptr<HolderIterator> HolderIterator::load() {
  if (iterator_unusable.load(std::memory_order_relaxed)) return nullptr;
  std::unique_ptr<HolderIterator> it = load_once();
  if (!it) iterator_unusable.store(true, std::memory_order_relaxed);
  return it;
}

std::unique_ptr<HolderIterator> HolderIterator::load_once() {
  const std::optional<Layout>& l = layout();
  if (!l) return nullptr;
  std::vector<bpf_insn> insns = iterator_program(*l);
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_ITER, .attach_btf_id = l->attach_btf_id);
  std::unique_ptr<HolderIterator> it(new HolderIterator());
  it->prog_ = UniqueFd(bpf_prog_load(BPF_PROG_TYPE_TRACING, "bpfstats_pids", "GPL", insns.data(), insns.size(), &opts));
  if (!it->prog_) return nullptr;
  bpf_prog_info info{};
  __u32 len = sizeof(info);
  if (bpf_obj_get_info_by_fd(it->prog_.get(), &info, &len) != 0) return nullptr;
  it->program_id_ = info.id;
  it->link_ = UniqueFd(bpf_link_create(it->prog_.get(), 0, BPF_TRACE_ITER, nullptr));
  if (!it->link_) return nullptr;
  return it;
}

bool find_program_holders_by_iterator(HoldersByProgram& out, HolderIterator* kept) {
  std::unique_ptr<HolderIterator> fresh;
  if (!kept) {
    fresh = HolderIterator::load();
    kept = fresh.get();
  }
  std::vector<holder_record> pairs;
  std::optional<PidsByProgram> pids;
  if (kept && read_iterator_records(kept->link_fd(), pairs) == 0)
    pids = pids_from_iterator(pairs, kept->program_id(), static_cast<std::uint32_t>(::getpid()), !fresh);
  if (!pids) {
    iterator_unusable.store(true, std::memory_order_relaxed);
    return false;
  }
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  const int proc_fd = proc.get();
  out = with_comms(*pids, [proc_fd](std::uint32_t pid) { return read_comm(proc_fd, pid); });
  return true;
}

HoldersByProgram find_program_holders(HolderIterator* kept) {
  HoldersByProgram holders;
  if (find_program_holders_by_iterator(holders, kept)) return holders;
  return find_program_holders_in_proc();
}

}  // namespace ig::bpfstats
