#!/usr/bin/env node
// Runs one Piper model and one text through sherpa-onnx (sherpa-onnx-node from npm) and through
// `edgevoice bench`, one after the other in one run, and prints both sides: time to first audio,
// real-time factor, and EdgeVoice's overhead and peak RSS. Driven by scripts/compare-sherpa.sh.
//
//   node scripts/compare-sherpa.js MODEL_DIR TEXT RUNS [EDGEVOICE OPTIONS...]
//
// Options after RUNS go to `edgevoice bench` (e.g. --Inference:AllowSpinning=true), so a lever is
// compared with sherpa-onnx in the same run.
//
// MODEL_DIR is what scripts/gen-piper.py wrote (voices/ and sherpa/).
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const [modelDir, textFile, runsArg, ...edgevoiceOptions] = process.argv.slice(2);
const runs = Number(runsArg || 3);
const sherpa = require(path.resolve('out/sherpa-node/node_modules/sherpa-onnx-node'));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// The texts `edgevoice bench` uses: the sample, and the sample repeated up to 5,000 characters.
const sample = fs.readFileSync(textFile, 'utf8').replace(/\s+/g, ' ').trim();
let longText = sample;
while (longText.length < 5000) longText += ' ' + sample;
longText = longText.slice(0, 5001);

async function sherpaSide() {
  const dataDir = ['/usr/lib/x86_64-linux-gnu/espeak-ng-data', '/usr/share/espeak-ng-data'].find(fs.existsSync);
  const tts = new sherpa.OfflineTts({
    model: { vits: { model: path.join(modelDir, 'sherpa/model.onnx'), tokens: path.join(modelDir, 'sherpa/tokens.txt'), dataDir },
             numThreads: 2, provider: 'cpu', debug: false },
    maxNumSentences: 1,
  });
  const rate = tts.sampleRate;
  // silenceScale 1: sherpa-onnx's default (0.2) shortens every quiet stretch of the output to a fifth,
  // which EdgeVoice does not do; on a random-weight model most of the output is quiet, so with the
  // default sherpa-onnx returned about a sixth of the audio for the same ids and durations.
  const generationConfig = { silenceScale: 1.0, sid: 0, speed: 1.0 };
  await tts.generateAsync({ text: 'Warm up.', generationConfig });
  const first = [], rtf = [];
  for (let run = 0; run < runs; run++) {
    // First audio: from the call to the first streamed sentence, on the 5,000-character text; then stop.
    let firstMs = 0;
    const t0 = process.hrtime.bigint();
    await tts.generateAsync({ text: longText, generationConfig, onProgress: () => {
      firstMs = Number(process.hrtime.bigint() - t0) / 1e6; return 0; } });
    first.push(firstMs);
    // Real-time factor: the whole sample text.
    const t1 = process.hrtime.bigint();
    const audio = await tts.generateAsync({ text: sample, generationConfig });
    rtf.push((Number(process.hrtime.bigint() - t1) / 1e9) / (audio.samples.length / rate));
  }
  return { first: median(first), rtf: median(rtf) };
}

function edgevoiceSide() {
  const exe = 'src/EdgeVoice/bin/Release/net10.0/edgevoice';
  const out = execFileSync(exe, ['bench', '--voices', path.join(modelDir, 'voices'), '--voice', 'en_US-real-medium',
    '--text', textFile, '--runs', String(runs), ...edgevoiceOptions], { encoding: 'utf8', maxBuffer: 1 << 24,
    // The service's environment (systemd/edgevoice.service): the GC's youngest generation collected every 4 MiB.
    env: { ...process.env, DOTNET_GCgen0size: process.env.DOTNET_GCgen0size || '400000' } });
  const grab = (re) => { const m = out.match(re); return m ? Number(m[1]) : NaN; };
  return {
    report: out,
    first: grab(/time to first audio: [\d.]+ ms for \d+ characters, ([\d.]+) ms/),
    rtf: grab(/real-time factor: ([\d.]+)/),
    overhead: grab(/per-chunk time over the bare loop: ([+-][\d.]+) %/),
    rssGrowth: grab(/\(([+-][\d.]+) MB, target/),
  };
}

(async () => {
  const s = await sherpaSide();
  const e = edgevoiceSide();
  console.log(e.report);
  console.log(`| measure (same model, same text, one run) | sherpa-onnx | EdgeVoice | ratio | target |`);
  console.log(`|---|---:|---:|---:|---|`);
  console.log(`| time to first audio, 5,000 characters (ms) | ${s.first.toFixed(0)} | ${e.first.toFixed(0)} | ${(e.first / s.first).toFixed(2)} | ≤ 0.5 |`);
  console.log(`| real-time factor | ${s.rtf.toFixed(3)} | ${e.rtf.toFixed(3)} | ${(e.rtf / s.rtf).toFixed(2)} | ≤ 0.9 |`);
  console.log(`| EdgeVoice per-chunk time over the bare loop | | ${e.overhead} % | | ≤ 2 % |`);
  console.log(`| EdgeVoice peak RSS, 5,000 − 100 characters | | ${e.rssGrowth} MB | | ≤ 10 MB |`);
})().catch((err) => { console.error(err); process.exit(1); });
