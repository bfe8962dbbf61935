// Hello world in Node.js, plus the major version of the runtime.
"use strict";
console.log("Hello, world!");
console.log(`Node.js ${process.versions.node.split(".")[0]}`);
