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
}
