// The JavaScript function-mode harness, part 1 of 2 (see judges/include/codejudge/judges/harness.h
// for the protocol): all of stdin is read before any submission code runs. Embedded at build
// time; the submission and function_driver.js follow it in one CommonJS script.
const __cj_stdin = (() => {
  const fs = require("fs");
  const chunks = [];
  const buffer = Buffer.alloc(1 << 16);
  for (;;) {
    let n = 0;
    try {
      n = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (e) {
      if (e.code === "EAGAIN") continue;
      if (e.code === "EOF") break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString("utf8");
})();
