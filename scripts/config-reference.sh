#!/usr/bin/env bash
# Rewrites docs/CONFIGURATION.md from the options classes (their properties, defaults and XML documentation).
set -euo pipefail
cd "$(dirname "$0")/.."
EDGEVOICE_CONFIG_REFERENCE_OUT="$PWD/docs/CONFIGURATION.md" \
  dotnet test tests/EdgeVoice.Tests --filter "FullyQualifiedName~ConfigurationReferenceTests.ThePage_IsUpToDate" --nologo -v q >/dev/null || true
dotnet test tests/EdgeVoice.Tests --filter "FullyQualifiedName~ConfigurationReferenceTests" --nologo
