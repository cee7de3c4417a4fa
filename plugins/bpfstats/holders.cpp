#include "holders.h"

namespace ig::bpfstats {

HoldersByProgram find_program_holders(HolderIterator* kept) {
  HoldersByProgram holders;
  if (find_program_holders_by_iterator(holders, kept)) return holders;
  return find_program_holders_in_proc();
}

HoldersByProgram find_map_holders(HolderIterator* kept) {
  HoldersByProgram holders;
  if (find_program_holders_by_iterator(holders, kept, HeldObject::Map)) return holders;
  return find_program_holders_in_proc("/proc", HeldObject::Map);
}

}  // namespace ig::bpfstats
