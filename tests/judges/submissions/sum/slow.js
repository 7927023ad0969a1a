const data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
let spin = 0;
while (spin >= 0) spin++;
console.log(data[0] + data[1]);
