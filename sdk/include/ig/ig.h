// Everything a gadget author includes.
#pragma once

#include "ig/bpf.h"
#include "ig/context.h"
#include "ig/plugin.h"
#include "ig/result.h"
#include "ig/schema.h"
#include "ig/tracer.h"
#include "ig/unique_fd.h"
#include "ig/version.h"
