// Runs once the script is loaded.
document.title = greet("world");
