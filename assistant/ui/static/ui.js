() => {
  // Scrolling for the chat. A finished answer is scrolled to its start, not to the bottom of
  // its citation cards, so the answer is what one reads first; an [n] marker scrolls its card
  // into view inside the chat (the page itself stays put) and flashes it.
  const chatScroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowY;
      if (overflow === "auto" || overflow === "scroll") return p;
    }
    return null;
  };
  const reveal = (el, offset) => {
    const box = chatScroller(el);
    if (box) box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top - offset;
  };
  let finished = 0;
  let busy = false;
  const onChange = () => {
    const chat = document.getElementById("ta-chat");
    if (!chat) return;
    const done = chat.querySelectorAll(".ta-answer .ta-footer, .ta-error");
    const waiting = chat.querySelector(".ta-pending, .ta-caret") !== null;
    if (done.length < finished) finished = done.length; // a new chat
    if (done.length > finished) {
      finished = done.length;
      const last = done[done.length - 1].closest(".ta-answer");
      requestAnimationFrame(() => reveal(last, 110)); // keep the question above it in sight
    } else if (waiting && !busy) {
      const box = chatScroller(chat.querySelector(".ta-pending, .ta-caret"));
      if (box) box.scrollTop = box.scrollHeight;
    }
    busy = waiting;
  };
  new MutationObserver(onChange).observe(document.body, { childList: true, subtree: true });
  document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest("a.ta-ref") : null;
    const card = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!card) return;
    event.preventDefault();
    reveal(card, 12);
    history.replaceState(null, "", link.getAttribute("href"));
    card.classList.remove("ta-flash");
    void card.offsetWidth; // restart the animation
    card.classList.add("ta-flash");
  });

  // "Show more" on a shortened turn: the request goes to the app through the hidden #ta-more-go button
  // (its event reads window.taMoreQueue), and window.taMoreShow appends the part the server sends back.
  window.taMoreQueue = window.taMoreQueue || [];
  let moreCount = 0;
  document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest("a.ta-more") : null;
    if (!link) return;
    event.preventDefault();
    const go = document.getElementById("ta-more-go");
    if (!go || link.dataset.busy) return;
    const href = link.getAttribute("href") || "";
    const ask = new URLSearchParams(href.slice(href.indexOf("?") + 1)); // #ta-more?turn=…&from=…&len=…
    link.dataset.busy = "1";
    link.dataset.id = link.dataset.id || `ta-more-${++moreCount}`;
    link.classList.add("ta-more-busy");
    window.taMoreQueue.push(JSON.stringify({
      id: link.dataset.id, turn: ask.get("turn"), from: Number(ask.get("from")), len: Number(ask.get("len")),
    }));
    go.click();
  });
  window.taMoreShow = (reply) => {
    let r;
    try { r = JSON.parse(reply || "{}"); } catch (e) { return; }
    const link = r.id ? document.querySelector(`a.ta-more[data-id="${CSS.escape(r.id)}"]`) : null;
    if (!link) return;
    const turn = link.closest(".ta-ctx-turn");
    const text = turn ? turn.querySelector(".ta-ctx-text") : null;
    if (r.error || !text) {
      const note = document.createElement("span");
      note.className = "ta-more-error";
      note.textContent = r.error || "Could not show more of this turn.";
      link.replaceWith(note);
      return;
    }
    text.querySelectorAll(".ta-cut").forEach((cut) => cut.remove());
    text.insertAdjacentHTML("beforeend", r.html); // built and escaped by the server (render.render_more)
    if (r.more) link.insertAdjacentHTML("afterend", r.more);
    link.remove();
  };
}
