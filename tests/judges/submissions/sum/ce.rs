fn main() {
    let x: i64 = "seven";
    println!("{}", x);
}
