let context: AudioContext | null = null;

/** Browsers start audio only after the user has touched the page; the first key or click unlocks it. */
function unlock() {
  context ??= new AudioContext();
  void context.resume();
}
window.addEventListener('keydown', unlock, { once: true });
window.addEventListener('pointerdown', unlock, { once: true });

/** Two short tones for a new high-priority incident, generated (no audio file to fetch). */
export function playAlert() {
  if (!context || context.state !== 'running') return;
  const now = context.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.18, 1175],
  ]) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, now + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, now + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.15);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(now + offset);
    oscillator.stop(now + offset + 0.16);
  }
}
