const data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/);
console.log(data[0] + data[1]);
