// codejudge-hack: problem=digital-root-steps language=rust expect=CE
// Rust's include_bytes! of the compiler's own stdout: the sandbox's pipe, which it may not open,
// CE.
static DATA: &[u8] = include_bytes!("/dev/stdout");
fn main() {
    println!("{}", DATA.len());
}
