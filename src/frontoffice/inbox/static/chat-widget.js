// frontoffice chat widget: <script src="https://HOST/inbox/v1/chat/widget.js" data-key="WRITE_KEY"
// data-visitor="ann@example.com"></script> adds a chat box to the page (one session per page load).
(function () {
  const me = document.currentScript;
  const base = new URL(me.src);
  const url = `${base.protocol === "https:" ? "wss" : "ws"}://${base.host}/inbox/v1/chat` +
    `?key=${encodeURIComponent(me.dataset.key)}&visitor=${encodeURIComponent(me.dataset.visitor || "")}`;
  const box = document.createElement("section");
  box.setAttribute("aria-label", "Chat");
  box.innerHTML = '<ol class="fo-chat-log" aria-live="polite"></ol>' +
    '<form><label>Message <input name="text" autocomplete="off"></label><button>Send</button></form>';
  document.body.appendChild(box);
  const log = box.querySelector("ol");
  const say = (who, text) => {
    const li = document.createElement("li");
    li.textContent = `${who}: ${text}`;
    log.appendChild(li);
  };
  const socket = new WebSocket(url);
  socket.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === "reply") say(m.author, m.text);
  };
  box.querySelector("form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = box.querySelector("input");
    if (!input.value.trim()) return;
    socket.send(input.value);
    say("you", input.value);
    input.value = "";
  });
})();
