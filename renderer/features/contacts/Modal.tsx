// The dialog is shared by every page now (renderer/components/Modal.tsx); kept for the contacts imports.
export { Modal } from '../../components/Modal';
