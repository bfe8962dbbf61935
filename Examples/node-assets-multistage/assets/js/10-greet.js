// Builds the greeting shown in the page title.
function greet(name) {
  return "Hello, " + name + "!";
}
