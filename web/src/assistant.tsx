// The assistant on every page: a chat box whose sentences go to POST
// /api/v1/homes/{id}/assistant, a microphone whose recording goes, as 16 kHz WAV, to
// .../assistant/speech, and the replies, read aloud in the server's voice when the person asks
// for it. "Here" is the room tab on screen.
import { useEffect, useRef, useState } from "preact/hooks";

import { api, apiBlob } from "./api";
import { useUi } from "./ui";
import { currentPlace } from "./state";

interface Answer {
  heard?: string;
  response: string;
  results: { did: string; name: string; status: string; message?: string }[];
}

interface Line {
  who: "me" | "hearth";
  text: string;
}

async function homeId(): Promise<number | null> {
  const here = currentPlace().home;
  if (here) return here;
  const r = await api<{ homes: { id: number }[] }>("GET", "/api/v1/homes?limit=1");
  return r.homes[0]?.id ?? null;
}

// The microphone until stop(), then a 16-bit mono WAV file at 16 kHz (or the context's rate
// when that is lower).
class Recorder {
  private chunks: Float32Array[] = [];
  private constructor(private stream: MediaStream, private context: AudioContext, private node: ScriptProcessorNode) {}

  static async start(): Promise<Recorder> {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
    const context = new AudioContext();
    const source = context.createMediaStreamSource(stream);
    const node = context.createScriptProcessor(4096, 1, 1);
    const r = new Recorder(stream, context, node);
    node.onaudioprocess = (e) => r.chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
    source.connect(node);
    node.connect(context.destination);
    return r;
  }

  async stop(): Promise<Blob> {
    this.node.disconnect();
    this.stream.getTracks().forEach((t) => t.stop());
    const rate = this.context.sampleRate;
    await this.context.close();
    const all = new Float32Array(this.chunks.reduce((sum, c) => sum + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.length;
    }
    // To 16 kHz here, as hearthd takes it: a third of the upload from a 48 kHz microphone. Each
    // sample is the mean of those it covers.
    const out = Math.max(1, rate / 16000);
    const n = Math.floor(all.length / out);
    const wav = new DataView(new ArrayBuffer(44 + 2 * n));
    const text = (offset: number, s: string) => [...s].forEach((ch, i) => wav.setUint8(offset + i, ch.charCodeAt(0)));
    const outRate = Math.round(rate / out);
    text(0, "RIFF");
    wav.setUint32(4, 36 + 2 * n, true);
    text(8, "WAVEfmt ");
    wav.setUint32(16, 16, true);
    wav.setUint16(20, 1, true);
    wav.setUint16(22, 1, true);
    wav.setUint32(24, outRate, true);
    wav.setUint32(28, outRate * 2, true);
    wav.setUint16(32, 2, true);
    wav.setUint16(34, 16, true);
    text(36, "data");
    wav.setUint32(40, 2 * n, true);
    for (let i = 0; i < n; i++) {
      const from = Math.floor(i * out);
      const to = Math.max(from + 1, Math.floor((i + 1) * out));
      let sum = 0;
      for (let k = from; k < to; k++) sum += all[k];
      const v = Math.max(-1, Math.min(1, sum / (to - from)));
      wav.setInt16(44 + 2 * i, v * 0x7fff, true);
    }
    return new Blob([wav.buffer], { type: "audio/wav" });
  }
}

// Drawn here rather than taken from an emoji font, which a machine may not have.
const kMicIcon = (
  <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="currentColor">
    <path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11z" />
  </svg>
);
const kChatIcon = (
  <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="currentColor">
    <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />
  </svg>
);

export function Assistant() {
  const { t, lang } = useUi();
  const [open, setOpen] = useState(false);
  const [lines, setLines] = useState<Line[]>([]);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [recorder, setRecorder] = useState<Recorder | null>(null);
  const [speakReplies, setSpeakReplies] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => list.current?.lastElementChild?.scrollIntoView?.({ block: "end" }), [lines]);

  const say = (line: Line) => setLines((l) => [...l.slice(-49), line]);
  const reply = async (answer: Answer) => {
    say({ who: "hearth", text: answer.response });
    if (!speakReplies) return;
    const wav = await apiBlob("POST", "/api/v1/assistant/voice", { text: answer.response });
    new Audio(URL.createObjectURL(wav)).play().catch(() => {});
  };
  const room = () => currentPlace().room;

  const send = async (e: Event) => {
    e.preventDefault();
    const sentence = text.trim();
    if (!sentence || busy) return;
    setText("");
    say({ who: "me", text: sentence });
    setBusy(true);
    try {
      const home = await homeId();
      if (!home) throw new Error(t("noHomes"));
      const r = room();
      await reply(await api<Answer>("POST", `/api/v1/homes/${home}/assistant`, { text: sentence, ...(r ? { room: r } : {}) }));
    } catch (err) {
      say({ who: "hearth", text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const microphone = async () => {
    if (!recorder) {
      try {
        setRecorder(await Recorder.start());
      } catch (err) {
        say({ who: "hearth", text: `${t("noMicrophone")} (${err instanceof Error ? err.message : String(err)})` });
      }
      return;
    }
    setRecorder(null);
    setBusy(true);
    try {
      const wav = await recorder.stop();
      const home = await homeId();
      if (!home) throw new Error(t("noHomes"));
      const r = room();
      const answer = await api<Answer>("POST", `/api/v1/homes/${home}/assistant/speech${r ? `?room=${r}` : ""}`, wav);
      say({ who: "me", text: answer.heard ? `“${answer.heard}”` : "…" });
      await reply(answer);
    } catch (err) {
      say({ who: "hearth", text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return <button class="assistant-open" aria-label={t("assistant")} onClick={() => setOpen(true)}>{kChatIcon}</button>;
  }
  return (
    <section class="assistant card" aria-label={t("assistant")}>
      <div class="row">
        <strong>{t("assistant")}</strong>
        <span class="spacer" />
        <label class="inline">
          <input type="checkbox" checked={speakReplies} onChange={(e) => setSpeakReplies(e.currentTarget.checked)} />
          {t("speakReplies")}
        </label>
        <button class="link" aria-label={t("close")} onClick={() => setOpen(false)}>✕</button>
      </div>
      <ol class="chat" ref={list} aria-live="polite">
        {lines.length === 0 && <li class="muted">{t("assistantHint")}</li>}
        {lines.map((l) => <li class={l.who}>{l.text}</li>)}
      </ol>
      <form class="row" onSubmit={send}>
        <input type="text" name="sentence" lang={lang === "zh" ? "zh-CN" : "en"} aria-label={t("assistantAsk")}
               placeholder={t("assistantAsk")} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" disabled={busy || !text.trim()}>{t("send")}</button>
        <button type="button" class={recorder ? "mic on" : "mic"} aria-pressed={recorder !== null}
                aria-label={recorder ? t("stopListening") : t("speak")} disabled={busy && !recorder}
                onClick={microphone}>{kMicIcon}</button>
      </form>
    </section>
  );
}
