// Test support: runs a document script (tests/doc/golden/*.script) and returns its transcript.
//
// One command per line; `#` starts a comment; names are "double-quoted" (\" and \\ escapes);
// ids are LayerId values; coordinates are document coordinates; colours are #rrggbbaa or #rrggbb;
// mask coverage is a decimal 0-255.
//
//   add_raster NAME X Y W H COLOR    raster layer at (X, Y) holding a W×H image of COLOR
//   add_gradient NAME X Y W H        raster layer holding a pattern (r = x, g = y, b = x^y, a = 255)
//   add_empty NAME | add_mask NAME   empty raster layer / empty inpaint mask, on top
//   delete ID | duplicate ID | merge_down ID | move ID INDEX | rename ID NAME
//   show ID | hide ID | lock ID | unlock ID | invert ID
//   opacity ID F | strength ID F | feather ID PX | position ID X Y
//   fill ID X Y W H COLOR|COVERAGE | paint ID X Y W H COLOR | clear ID X Y W H | clear_layer ID
//   bbox X Y W H
//   undo | redo | history | dump | pixel ID X Y | strength_at X Y (S and colour at a pixel of compose(bbox))
//   expect_error COMMAND...          the command must throw doc::Error; prints its code and message
//
// Every edit is pushed on a History; the transcript echoes each line ("> line") followed by the
// command's text or output. A doc::Error not announced by expect_error, an unknown command or a
// malformed line throws std::runtime_error naming the line.
#pragma once

#include <string>

namespace strata::test {

std::string run_doc_script(const std::string& script);

}  // namespace strata::test
