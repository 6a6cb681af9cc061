#ifndef QUOTEWIRE_CLIBXML2_SHIM_H
#define QUOTEWIRE_CLIBXML2_SHIM_H

// libxml2's HTML parser and tree (Debian libxml2-dev, found through pkg-config libxml-2.0).
// Only PageExtraction imports this module.
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, so <libxml/encoding.h> would pull the system's ICU headers
// into this module, whose `UErrorCode` then clashes with the one Foundation's own ICU module
// declares. Nothing here uses the ICU members of an encoding handler (the last fields of a
// struct only ever seen through a pointer), so the headers are read without them.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#endif
