const Encoder = require('kafkajs/src/protocol/encoder');
const P = Encoder.prototype;
const origNext = Encoder.nextPowerOfTwo;
if (process.env.P1) {
P.writeUVarInt = function (value) {
  this.ensureAvailable(5);
  while ((value & 0xffffff80) !== 0) { this.buf[this.offset++] = (value & 0x7f) | 0x80; value >>>= 7; }
  this.buf[this.offset++] = value & 0x7f;
  return this;
};
const origVarLong = P.writeVarLong;
P.writeVarLong = function (value) {
  if (typeof value === 'number' && value >= -0x3fffffff && value <= 0x3fffffff) return this.writeVarInt(value);
  return origVarLong.call(this, value);
};
Encoder.sizeOfVarLong = ((orig) => function (value) { if (typeof value === 'number' && value >= -0x3fffffff && value <= 0x3fffffff) return Encoder.sizeOfVarInt(value); return orig.call(Encoder, value); })(Encoder.sizeOfVarLong);
}
if (process.env.P2) {
  Encoder.nextPowerOfTwo = (v) => v === 511 ? 64 : origNext(v);
}
if (process.env.P3) {
  P.ensureAvailable = function (length) {
    if (this.offset + length > this.buf.length) {
      const nb = Buffer.allocUnsafe(origNext(this.offset + length));
      this.buf.copy(nb, 0, 0, this.offset); this.buf = nb;
    }
  };
}
require('/tmp/kb/enc.js');
