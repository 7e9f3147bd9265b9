# Build the one-folder bundle of millwatch on Windows (PowerShell). Same steps as build.sh:
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1
# A CLEAN virtualenv with `pip install .` (not editable) and PyInstaller, the icon rendered with Qt
# (millwatch.ico for the executables), packaging\millwatch.spec -> packaging\dist\millwatch\ holding
# millwatch.exe (console: CLI, --self-test) and millwatch-gui.exe (windowed: the Start-menu shortcut),
# then packaging\dist\millwatch-<version>-windows-x86_64.zip. Run the smoke test afterwards:
#   $env:QT_QPA_PLATFORM = "offscreen"; packaging\dist\millwatch\millwatch.exe --self-test
# (Not exercised by CI, which builds and tests the Linux bundle; the spec is shared.)
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)
$Root = Get-Location
$Venv = if ($env:MILLWATCH_BUILD_VENV) { $env:MILLWATCH_BUILD_VENV } else { Join-Path $env:TEMP "millwatch-build-venv" }
$Work = Join-Path $Root "packaging\build"
$Dist = Join-Path $Root "packaging\dist"
$Started = Get-Date

if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
py -3.11 -m venv $Venv
$Py = Join-Path $Venv "Scripts\python.exe"
& $Py -m pip install -q --upgrade pip
& $Py -m pip install -q . "pyinstaller>=6.10,<7"
$Version = & $Py -c "import importlib.metadata as m; print(m.version('millwatch'))"

New-Item -ItemType Directory -Force -Path $Work | Out-Null
$env:QT_QPA_PLATFORM = "offscreen"
& $Py packaging\render_icons.py (Join-Path $Work "icons")
Remove-Item Env:QT_QPA_PLATFORM

if (Test-Path (Join-Path $Dist "millwatch")) { Remove-Item -Recurse -Force (Join-Path $Dist "millwatch") }
Push-Location $Work
$env:MILLWATCH_ICON_DIR = Join-Path $Work "icons"
& (Join-Path $Venv "Scripts\pyinstaller.exe") --noconfirm --clean --distpath $Dist --workpath (Join-Path $Work "pyinstaller") (Join-Path $Root "packaging\millwatch.spec")
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
Pop-Location

$Zip = Join-Path $Dist "millwatch-$Version-windows-x86_64.zip"
if (Test-Path $Zip) { Remove-Item $Zip }
Compress-Archive -Path (Join-Path $Dist "millwatch") -DestinationPath $Zip
$SizeMB = [math]::Round(((Get-ChildItem -Recurse (Join-Path $Dist "millwatch") | Measure-Object Length -Sum).Sum / 1MB), 0)
Write-Host "build: bundle $Dist\millwatch: $SizeMB MB; zip $Zip; $([int]((Get-Date) - $Started).TotalSeconds) s"
