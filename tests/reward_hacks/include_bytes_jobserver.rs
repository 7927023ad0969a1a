// codejudge-hack: problem=digital-root-steps language=rust expect=CE
// rustc makes a jobserver pipe of its own (descriptors 3 and 4) and include_bytes! can read it:
// the compiler waits on itself forever. It uses no CPU while it waits, so it is stopped as
// blocked after 5 s: a CE, cached, not an internal error at the 40 s wall fuse.
static DATA: &[u8] = include_bytes!("/proc/self/fd/3");
fn main() {
    println!("{}", DATA.len());
}
