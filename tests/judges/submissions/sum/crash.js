const data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
const missing = undefined;
console.log(missing.value + data[0]);
