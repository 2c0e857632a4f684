/**
 * The "add a member" field of a policy note: an ARIA 1.2 combobox (an input with a listbox
 * popup, as the WAI-ARIA Authoring Practices' "combobox with list autocomplete" describes)
 * offering members from the directory as you type (`GET /api/members/search?q=`, the same
 * endpoint as @mention autocomplete: name and region, never an e-mail address).
 *
 * Without JavaScript it is a plain text input named `name` that takes an e-mail address or a
 * member id, as before. With JavaScript, choosing a suggestion puts the member's id in a hidden
 * input of that name and shows their name in the text box; typing again clears the choice, and
 * whatever is typed (an e-mail address, say) is sent as it stands.
 *
 * Keys: ↓/↑ move through suggestions (opening the list), Enter chooses the highlighted one (and
 * does not submit), Escape closes the list, Tab leaves as usual.
 */
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { MemberSuggestion } from "~/editor/rules";

/** The member directory search (app/routes/api.members.search.ts), as @mention autocomplete uses it. */
const MEMBER_SEARCH_URL = "/api/members/search";

/** Fewest characters before suggestions are fetched. */
const MIN_QUERY = 1;
/** Debounce between keystrokes and a fetch. */
const DEBOUNCE_MS = 150;

export interface MemberPickerProps {
  /** Name of the submitted field (the value is a member id or what was typed). */
  name: string;
  label: string;
  placeholder?: string;
  /** id of the element describing an error, if any. */
  errorId?: string;
}

/** A text field with member suggestions; see the module comment. */
export function MemberPicker({ name, label, placeholder, errorId }: MemberPickerProps) {
  const { t } = useTranslation();
  const baseId = useId();
  const inputId = `${baseId}-input`;
  const listId = `${baseId}-list`;
  const hintId = `${baseId}-hint`;
  const [hydrated, setHydrated] = useState(false);
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState<MemberSuggestion | null>(null);
  const [items, setItems] = useState<MemberSuggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [loading, setLoading] = useState(false);
  const request = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // Keep anything typed before the scripts arrived.
  useEffect(() => {
    setHydrated(true);
    if (input.current?.value) setText(input.current.value);
  }, []);

  // Fetch suggestions for what is typed (not for a chosen member's name).
  useEffect(() => {
    if (!hydrated || chosen) return;
    const q = text.trim();
    if (q.length < MIN_QUERY || q.includes("@")) {
      setItems([]);
      setOpen(false);
      return;
    }
    const timer = setTimeout(async () => {
      request.current?.abort();
      const controller = new AbortController();
      request.current = controller;
      setLoading(true);
      try {
        const response = await fetch(`${MEMBER_SEARCH_URL}?${new URLSearchParams({ q })}`, { signal: controller.signal, headers: { accept: "application/json" } });
        const body = (await response.json()) as { members?: MemberSuggestion[] };
        if (controller.signal.aborted) return;
        setItems(body.members ?? []);
        setActive(-1);
        setOpen(true);
      } catch (error) {
        if ((error as Error).name !== "AbortError") setItems([]);
      } finally {
        if (request.current === controller) setLoading(false);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, chosen, hydrated]);

  useEffect(() => () => request.current?.abort(), []);

  function choose(item: MemberSuggestion) {
    setChosen(item);
    setText(item.label);
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (items.length === 0) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i < 0 && step < 0 ? items.length - 1 : (i + step + items.length) % items.length));
    } else if (event.key === "Enter" && open && active >= 0 && items[active]) {
      event.preventDefault();
      choose(items[active]!);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  }

  const showList = hydrated && open && !chosen;
  const activeId = showList && active >= 0 ? `${listId}-${active}` : undefined;
  const status = !hydrated || chosen || text.trim().length < MIN_QUERY || text.includes("@")
    ? chosen ? t("notes.picker.chosen", { name: chosen.label }) : ""
    : loading && items.length === 0
      ? t("notes.picker.searching")
      : open
        ? items.length
          ? t("notes.picker.results", { count: items.length })
          : t("notes.picker.noResults")
        : "";

  return (
    <div className="member-picker">
      <label htmlFor={inputId}>{label}</label>
      <div className="member-picker-field">
        <input
          id={inputId}
          ref={input}
          // Before hydration (or without JavaScript) this is the submitted field itself.
          name={hydrated && chosen ? undefined : name}
          required
          autoComplete="off"
          placeholder={placeholder}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setChosen(null);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          role={hydrated ? "combobox" : undefined}
          aria-autocomplete={hydrated ? "list" : undefined}
          aria-expanded={hydrated ? showList : undefined}
          aria-controls={hydrated ? listId : undefined}
          aria-activedescendant={activeId}
          aria-describedby={[hintId, errorId].filter(Boolean).join(" ")}
          data-testid="member-picker-input"
        />
        {hydrated && chosen ? <input type="hidden" name={name} value={chosen.id} data-testid="member-picker-value" /> : null}
        <ul id={listId} role="listbox" aria-label={label} className="member-picker-list" hidden={!showList || items.length === 0} data-testid="member-picker-list">
          {items.map((item, i) => (
            <li
              key={item.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className="member-picker-option"
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(item);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span>{item.label}</span>
              {item.region ? <span className="member-picker-region">{item.region}</span> : null}
            </li>
          ))}
        </ul>
      </div>
      <p id={hintId} className="muted small">{t("notes.picker.hint")}</p>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="member-picker-status">{status}</p>
    </div>
  );
}
