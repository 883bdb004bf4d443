# Builds the one-folder Windows app "dist\Coffreo Desktop\" with PyInstaller, then optionally signs it.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
#
# Parameters (all optional):
#   -Python   interpreter that creates the build venv (default: "py -3.11" when the launcher exists, else python)
#   -Venv     build venv, created if missing (default: build\venv); never the dev .venv
#   -Dist     output folder (default: dist)
#   -Work     PyInstaller's work folder (default: build\pyinstaller)
#
# Signing (optional, skipped unless one of these is set; signtool comes with the Windows SDK):
#   COFFREO_SIGN_CERT_SHA1   thumbprint of a code-signing certificate in the user's or machine's store
#                            (an EV certificate on a token, or a cloud HSM, appears there too)
#   COFFREO_SIGN_PFX         path to a .pfx file, with COFFREO_SIGN_PFX_PASSWORD
#   COFFREO_TIMESTAMP_URL    RFC 3161 time-stamp server (default: the certificate vendor's; see README)
#   COFFREO_SIGNTOOL         path to signtool.exe when it is not on PATH
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$Venv = "",
    [string]$Dist = "",
    [string]$Work = ""
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Repo = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
if (-not $Venv) { $Venv = Join-Path $Repo "build\venv" }
if (-not $Dist) { $Dist = Join-Path $Repo "dist" }
if (-not $Work) { $Work = Join-Path $Repo "build\pyinstaller" }
$AppName = "Coffreo Desktop"

function Step([string]$Message) { Write-Host ""; Write-Host "==> $Message" }

# Native commands do not throw on failure: stop on a non-zero exit code ourselves.
function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe failed with exit code $LASTEXITCODE" }
}

Step "venv: $Venv"
$Py = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $Py)) {
    if ($Python) {
        $parts = $Python -split " "
        Invoke-Checked $parts[0] (@($parts | Select-Object -Skip 1) + @("-m", "venv", $Venv))
    } elseif (Get-Command py -ErrorAction SilentlyContinue) {
        Invoke-Checked "py" @("-3.11", "-m", "venv", $Venv)
    } else {
        Invoke-Checked "python" @("-m", "venv", $Venv)
    }
}
Invoke-Checked $Py @("-m", "pip", "install", "-q", "--upgrade", "pip")
# A regular (not editable) install: PyInstaller then sees exactly the dependencies a user gets.
Invoke-Checked $Py @("-m", "pip", "install", "-q", $Repo, "pyinstaller")

Push-Location $Repo
try {
    if (Test-Path "packaging\build_ui.py") {
        Step "forms and translations"
        Invoke-Checked $Py @("packaging\build_ui.py")
    }
    if (-not (Test-Path "packaging\icons\coffreo.ico")) {
        Step "icons"
        $env:QT_QPA_PLATFORM = "offscreen"
        Invoke-Checked $Py @("packaging\icons\make_icons.py")
        Remove-Item Env:\QT_QPA_PLATFORM
    }

    Step "pyinstaller -> $Dist\$AppName"
    Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", $Dist, "--workpath", $Work, "packaging\coffreo_desktop.spec")
} finally {
    Pop-Location
}

$AppDir = Join-Path $Dist $AppName
$Exe = Join-Path $AppDir "$AppName.exe"
if (-not (Test-Path $Exe)) { throw "missing executable: $Exe" }
$Size = (Get-ChildItem $AppDir -Recurse -File | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("size: {0:N0} MB" -f $Size)

Step "smoke test"
# Windowed app: no console output, so judge by the exit code. --version answers before Qt starts.
$Proc = Start-Process -FilePath $Exe -ArgumentList "--version" -Wait -PassThru -NoNewWindow
if ($Proc.ExitCode -ne 0) { throw "'$AppName.exe --version' exited with $($Proc.ExitCode)" }
Write-Host "ok: the frozen app starts"

# ---- optional: Authenticode signature ------------------------------------------------------------------
# Signs our executable only: python311.dll and the Qt DLLs already carry their vendors' signatures, and
# SmartScreen judges the file the user starts. Re-sign after any change to the folder's executable.
$Thumbprint = $env:COFFREO_SIGN_CERT_SHA1
$Pfx = $env:COFFREO_SIGN_PFX
if ($Thumbprint -or $Pfx) {
    Step "signtool"
    $SignTool = if ($env:COFFREO_SIGNTOOL) { $env:COFFREO_SIGNTOOL } else { "signtool" }
    $Timestamp = if ($env:COFFREO_TIMESTAMP_URL) { $env:COFFREO_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }
    $SignArgs = @("sign", "/fd", "SHA256", "/tr", $Timestamp, "/td", "SHA256", "/d", $AppName)
    if ($Thumbprint) {
        $SignArgs += @("/sha1", $Thumbprint)
    } else {
        $SignArgs += @("/f", $Pfx)
        if ($env:COFFREO_SIGN_PFX_PASSWORD) { $SignArgs += @("/p", $env:COFFREO_SIGN_PFX_PASSWORD) }
    }
    Invoke-Checked $SignTool ($SignArgs + @($Exe))
    Invoke-Checked $SignTool @("verify", "/pa", "/v", $Exe)
} else {
    Write-Host ""
    Write-Host "not signed (set COFFREO_SIGN_CERT_SHA1 or COFFREO_SIGN_PFX to sign)"
}
Write-Host ""
Write-Host "built: $AppDir"
