import { createHash, randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { MediaCredentials } from '@safecity/security';

/**
 * The RTSP URI of an ONVIF media profile (Media service GetStreamUri, RTP over RTSP over TCP),
 * authenticated with a WS-Security UsernameToken digest as ONVIF devices expect.
 */
export async function onvifStreamUri(
  mediaUrl: string,
  profileToken: string,
  credentials: MediaCredentials | null,
  timeoutMs = 5_000,
): Promise<string> {
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema">
  <s:Header>${credentials ? usernameToken(credentials) : ''}</s:Header>
  <s:Body>
    <trt:GetStreamUri>
      <trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>
      <trt:ProfileToken>${escapeXml(profileToken)}</trt:ProfileToken>
    </trt:GetStreamUri>
  </s:Body>
</s:Envelope>`;
  const response = await fetch(mediaUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ONVIF GetStreamUri answered ${response.status}`);
  const parsed = new XMLParser({ removeNSPrefix: true }).parse(text);
  const uri = parsed?.Envelope?.Body?.GetStreamUriResponse?.MediaUri?.Uri;
  if (typeof uri !== 'string' || !/^rtsps?:\/\//i.test(uri))
    throw new Error('ONVIF GetStreamUri gave no RTSP URI');
  return uri;
}

function usernameToken(c: MediaCredentials): string {
  const nonce = randomBytes(16);
  const created = new Date().toISOString();
  const digest = createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(c.password)]))
    .digest('base64');
  return `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken><wsse:Username>${escapeXml(c.username)}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password><wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
