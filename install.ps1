# Installs the keylint release binary for Windows x86_64: downloads
# keylint-x86_64-pc-windows-msvc.zip, checks it against the release's
# sha256sums.txt, and installs keylint.exe.
#
#   powershell -ExecutionPolicy Bypass -c "irm https://raw.githubusercontent.com/keylint/keylint/v0.2.0/install.ps1 | iex"
#
# Parameters (or, when piped into iex, the same environment variables as install.sh):
#   -Version vX.Y.Z|latest   $env:KEYLINT_VERSION       (default: latest)
#   -Dir DIR                 $env:KEYLINT_INSTALL_DIR   (default: %LOCALAPPDATA%\Programs\keylint)
#   $env:KEYLINT_DOWNLOAD_URL  a base URL holding the release's assets, instead of GitHub
param(
    [string]$Version = $(if ($env:KEYLINT_VERSION) { $env:KEYLINT_VERSION } else { 'latest' }),
    [string]$Dir = $(if ($env:KEYLINT_INSTALL_DIR) { $env:KEYLINT_INSTALL_DIR } else { Join-Path $env:LOCALAPPDATA 'Programs\keylint' })
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$SourceInstall = 'cargo install --locked --git https://github.com/keylint/keylint'

# A throw, not exit: piped into iex, exit would close the user's PowerShell.
function Fail([string]$Message) {
    throw "keylint-install: $Message"
}

if ($Version -match '^[0-9]') { $Version = "v$Version" }
if ($Version -ne 'latest' -and $Version -notmatch '^v[0-9][A-Za-z0-9.+-]*$') {
    Fail "'$Version' is not a release version (vX.Y.Z or latest)"
}

$arch = $env:PROCESSOR_ARCHITECTURE
if ($env:PROCESSOR_ARCHITEW6432) { $arch = $env:PROCESSOR_ARCHITEW6432 }
if ($arch -ne 'AMD64') {
    Fail "there is no keylint release binary for Windows $arch (only x86_64); build from source with a Rust toolchain: $SourceInstall"
}

$asset = 'keylint-x86_64-pc-windows-msvc.zip'
if ($env:KEYLINT_DOWNLOAD_URL) {
    $base = $env:KEYLINT_DOWNLOAD_URL.TrimEnd('/')
} elseif ($Version -eq 'latest') {
    $base = 'https://github.com/keylint/keylint/releases/latest/download'
} else {
    $base = "https://github.com/keylint/keylint/releases/download/$Version"
}

$tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("keylint-install-" + [System.Guid]::NewGuid())
New-Item -ItemType Directory -Path $tmp | Out-Null
try {
    Write-Host "keylint-install: downloading $base/$asset"
    try {
        Invoke-WebRequest -UseBasicParsing -Uri "$base/$asset" -OutFile (Join-Path $tmp $asset)
        Invoke-WebRequest -UseBasicParsing -Uri "$base/sha256sums.txt" -OutFile (Join-Path $tmp 'sha256sums.txt')
    } catch {
        Fail "could not download $base/$asset or its sha256sums.txt (is $Version a published release?): $_"
    }

    $expected = $null
    foreach ($line in Get-Content (Join-Path $tmp 'sha256sums.txt')) {
        $fields = $line -split '\s+', 2
        if ($fields.Count -eq 2 -and ($fields[1] -eq $asset -or $fields[1] -eq "*$asset")) {
            $expected = $fields[0].ToLowerInvariant()
            break
        }
    }
    if (-not $expected) { Fail "sha256sums.txt has no checksum for $asset; nothing was installed" }
    $actual = (Get-FileHash -Algorithm SHA256 (Join-Path $tmp $asset)).Hash.ToLowerInvariant()
    if ($expected -ne $actual) {
        Fail "checksum mismatch for ${asset}: sha256sums.txt says $expected, the download is $actual; nothing was installed"
    }
    Write-Host "keylint-install: verified SHA-256 $actual"

    $unpacked = Join-Path $tmp 'unpacked'
    Expand-Archive -Path (Join-Path $tmp $asset) -DestinationPath $unpacked
    $exe = Join-Path $unpacked 'keylint.exe'
    if (-not (Test-Path $exe)) { Fail "$asset holds no keylint.exe at its top level; nothing was installed" }
    $installedVersion = & $exe --version
    if ($LASTEXITCODE -ne 0) { Fail "the downloaded keylint.exe does not run; nothing was installed" }

    New-Item -ItemType Directory -Force -Path $Dir | Out-Null
    $staged = Join-Path $Dir ".keylint.exe.install.$PID"
    Copy-Item $exe $staged
    Move-Item -Force $staged (Join-Path $Dir 'keylint.exe')
    Write-Host "keylint-install: installed $(Join-Path $Dir 'keylint.exe'): $installedVersion"

    $userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
    if (-not (($userPath -split ';') -contains $Dir)) {
        Write-Host "keylint-install: note: $Dir is not on your PATH; add it with:"
        Write-Host "  [Environment]::SetEnvironmentVariable('Path', `"$Dir;`" + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')"
    }
} finally {
    Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
}
