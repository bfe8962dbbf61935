// A deliberately small asset bundler: it concatenates the files of one
// kind in name order, drops comments and indentation, and writes one file.
// Usage: node bundle.js SOURCE_DIR EXTENSION OUTPUT_FILE
"use strict";
const fs = require("fs");
const path = require("path");

const [sourceDir, extension, outputFile] = process.argv.slice(2);
const parts = fs.readdirSync(sourceDir)
  .filter((name) => name.endsWith(extension))
  .sort()
  .map((name) => fs.readFileSync(path.join(sourceDir, name), "utf8"));

const bundled = parts.join("\n")
  .replace(/\/\*[\s\S]*?\*\//g, "")   // block comments
  .replace(/^\s*\/\/.*$/gm, "")       // line comments
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line.length > 0)
  .join("");

fs.mkdirSync(path.dirname(outputFile), { recursive: true });
fs.writeFileSync(outputFile, bundled + "\n");
