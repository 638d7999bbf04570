fn main() -> std::process::ExitCode {
    keylint::cli::run()
}
