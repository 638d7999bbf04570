fn main() -> std::process::ExitCode {
    keylint::app::run()
}
