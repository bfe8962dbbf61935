// Hello world in Rust. Even this program depends on the C library:
// Rust's standard library calls into libc for I/O, threads and memory.
fn main() {
    println!("Hello, world!");
}
