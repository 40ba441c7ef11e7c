/** The local chat page: plain HTML and a little script over the documented JSON API. */
export const localChatPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>quizcast · local chat</title>
<style>
  body { margin: 0; font: 15px/1.45 system-ui, sans-serif; display: grid; grid-template-columns: 200px 1fr; height: 100vh; color: #1d1d1f; }
  nav { background: #2f2446; color: #eee; padding: 12px; overflow-y: auto; }
  nav h1 { font-size: 16px; margin: 0 0 12px; }
  nav a { display: block; color: #ddd; text-decoration: none; padding: 4px 6px; border-radius: 4px; cursor: pointer; }
  nav a.active { background: #4b3b6e; color: #fff; }
  nav label { display: block; margin-top: 16px; font-size: 12px; color: #bbb; }
  nav input { width: 100%; box-sizing: border-box; margin-top: 4px; }
  main { display: flex; flex-direction: column; min-width: 0; }
  #messages { flex: 1; overflow-y: auto; padding: 12px 16px; }
  .message { margin: 8px 0; }
  .author { font-weight: 600; margin-right: 6px; }
  .private { color: #777; font-size: 12px; }
  .card { border: 1px solid #ccc; border-left: 4px solid #6b4fbb; border-radius: 6px; padding: 10px; margin-top: 4px; white-space: pre-wrap; max-width: 720px; }
  .card h3 { margin: 0 0 6px; font-size: 14px; }
  .text { white-space: pre-wrap; }
  .buttons button { margin: 6px 6px 0 0; }
  .reactions button { margin: 4px 4px 0 0; font-size: 12px; }
  img { max-width: 640px; display: block; margin-top: 4px; }
  form { display: flex; gap: 8px; padding: 12px 16px; border-top: 1px solid #ddd; }
  form input { flex: 1; font: inherit; padding: 6px; }
</style>
</head>
<body>
<nav>
  <h1>quizcast</h1>
  <div id="channels"></div>
  <label>New channel <input id="new-channel" placeholder="random"></label>
  <label>You are <input id="user" value="alice"></label>
</nav>
<main>
  <div id="messages" aria-live="polite"></div>
  <form id="composer"><input id="text" autocomplete="off" placeholder="Message, or /help"><button>Send</button></form>
</main>
<script>
const EMOJI = { one: '1️⃣', two: '2️⃣', three: '3️⃣', four: '4️⃣', five: '5️⃣' };
let channel = 'general';
const userBox = document.getElementById('user');
userBox.value = localStorage.getItem('quizcast-user') || userBox.value;
userBox.onchange = () => { localStorage.setItem('quizcast-user', userBox.value); refresh(); };
const user = () => userBox.value.trim() || 'alice';
async function api(path, body) {
  const response = await fetch(path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  const data = await response.json();
  if (!response.ok) alert(data.message || response.statusText);
  return data;
}
function el(tag, props, children) {
  const { dataset, ...rest } = props || {};
  const node = Object.assign(document.createElement(tag), rest);
  Object.assign(node.dataset, dataset || {});
  for (const child of children || []) node.append(child);
  return node;
}
function renderMessage(message) {
  const body = [];
  if (message.kind === 'card') {
    body.push(el('div', { className: 'card' }, [
      message.title ? el('h3', { textContent: message.title }) : '',
      el('div', { textContent: message.text }),
      el('div', { className: 'buttons' }, message.buttons.map((button) => el('button', {
        textContent: button.label, dataset: { action: button.id },
        onclick: async () => { await api('/api/local/actions', { conversation: channel, user: user(), messageId: message.id, actionId: button.id }); refresh(); },
      }))),
      el('div', { className: 'reactions' }, Object.entries(EMOJI).map(([name, glyph]) => {
        const who = (message.reactions && message.reactions[name]) || [];
        const mine = who.includes(user());
        return el('button', { textContent: glyph + (who.length ? ' ' + who.length : ''), title: who.join(', '),
          onclick: async () => { await api('/api/local/reactions', { conversation: channel, user: user(), messageId: message.id, emoji: name, added: !mine }); refresh(); } });
      })),
    ]));
  } else if (message.kind === 'image') {
    body.push(el('img', { src: message.image, alt: message.text }), el('div', { className: 'text', textContent: message.text }));
  } else {
    body.push(markdown(message.text));
  }
  return el('div', { className: 'message', dataset: { id: message.id, kind: message.kind } }, [
    el('span', { className: 'author', textContent: message.author }),
    message.visibleTo ? el('span', { className: 'private', textContent: '(only you can see this) ' }) : '',
    ...body,
  ]);
}
/** Just enough markdown for the bot's replies: **bold** and \`code\`, built as nodes (never innerHTML). */
function markdown(text) {
  return el('span', { className: 'text' }, text.split(/(\\*\\*[^*]+\\*\\*|\`[^\`]+\`)/).map((part) =>
    part.startsWith('**') && part.endsWith('**') && part.length > 4 ? el('strong', { textContent: part.slice(2, -2) })
    : part.startsWith('\`') && part.endsWith('\`') && part.length > 2 ? el('code', { textContent: part.slice(1, -1) })
    : part));
}
let lastRender = '';
async function refresh() {
  const { conversations } = await api('/api/local/conversations');
  if (!conversations.includes(channel)) conversations.push(channel);
  document.getElementById('channels').replaceChildren(...conversations.map((name) =>
    el('a', { textContent: '#' + name, className: name === channel ? 'active' : '', onclick: () => { channel = name; lastRender = ''; refresh(); } })));
  const { messages } = await api('/api/local/conversations/' + encodeURIComponent(channel) + '/messages?user=' + encodeURIComponent(user()));
  const signature = JSON.stringify(messages);
  if (signature === lastRender) return;
  lastRender = signature;
  const box = document.getElementById('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren(...messages.map(renderMessage));
  if (atBottom) box.scrollTop = box.scrollHeight;
}
document.getElementById('composer').onsubmit = async (event) => {
  event.preventDefault();
  const input = document.getElementById('text');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  await api('/api/local/messages', { conversation: channel, user: user(), text });
  refresh();
};
document.getElementById('new-channel').onchange = (event) => { channel = event.target.value.trim().toLowerCase(); event.target.value = ''; lastRender = ''; refresh(); };
refresh();
setInterval(refresh, 1500);
</script>
</body>
</html>
`;
